// The CSV readers live in their own module (fuzzed on their own, see
// Fuzz/); the CLI and its tests use them as part of it.
@_exported import CSVImport
