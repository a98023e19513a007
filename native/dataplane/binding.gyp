# vxbridge's native data plane (Linux): batched UDP and AF_PACKET channels on
# Node's event loop, exact offload handling, AES-256-GCM through OpenSSL's EVP.
# Built by build/scripts/build-native.js with node-gyp and Node's own headers
# (nothing downloaded). N-API: the same binary loads in Node and in Electron.
{
  "targets": [
    {
      "target_name": "vxb_dataplane",
      "sources": [
        "src/addon.cc",
        "src/loop.cc",
        "src/realtime.cc",
        "src/udp_channel.cc",
        "src/packet_channel.cc",
        "src/offload.cc",
        "src/gcm.cc",
        "src/secure_session.cc",
        "src/fast_path.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti"],
      # Node exports OpenSSL's symbols and the process binds to those first; in
      # Electron (BoringSSL, not exported) the system's libcrypto 3 serves.
      "libraries": ["-l:libcrypto.so.3"]
    }
  ]
}
