// The renderer has no Node types. Engine port files that the shared contract
// reaches by type-only imports mention Buffer; to the renderer it is just bytes.
interface Buffer extends Uint8Array {}
