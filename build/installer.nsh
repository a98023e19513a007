; Included by electron-builder's NSIS script (nsis.include in electron-builder.yml).
; vxbridge bridges network adapters through Npcap, which must be installed in
; "WinPcap API-compatible Mode" (wpcap.dll in System32). The installer checks at
; the end and offers the download page; the app checks again at every start and
; explains the problem in its window (tunnel legs work without Npcap).

!macro customInstall
  IfFileExists "$SYSDIR\wpcap.dll" vxbridge_npcap_ok 0
    IfFileExists "$SYSDIR\Npcap\wpcap.dll" 0 vxbridge_npcap_missing
      MessageBox MB_YESNO|MB_ICONEXCLAMATION "Npcap is installed, but not in WinPcap API-compatible Mode, which vxbridge needs to bridge network adapters.$\r$\n$\r$\nRun the Npcap installer again and tick $\"Install Npcap in WinPcap API-compatible Mode$\".$\r$\n$\r$\nOpen the Npcap download page now?" /SD IDNO IDNO vxbridge_npcap_ok
      ExecShell "open" "https://npcap.com/#download"
      Goto vxbridge_npcap_ok
    vxbridge_npcap_missing:
      MessageBox MB_YESNO|MB_ICONEXCLAMATION "vxbridge needs Npcap to bridge network adapters (tunnel-only setups work without it).$\r$\n$\r$\nInstall Npcap and tick $\"Install Npcap in WinPcap API-compatible Mode$\".$\r$\n$\r$\nOpen the Npcap download page now?" /SD IDNO IDNO vxbridge_npcap_ok
      ExecShell "open" "https://npcap.com/#download"
  vxbridge_npcap_ok:
!macroend
