/**
 * TEST-ONLY encryption key of the recorded histories in test/replay/histories/. It is public (committed), so it
 * protects nothing: never configure it as CALLMATRIX_ENCRYPTION_KEY anywhere. The histories hold only the
 * emulator's made-up people and numbers.
 */
export const TEST_ONLY_HISTORY_KEY = 'test-only-replay-key:OpChE0YIJ/WsBA48PO0y2cJLmDywaxkaKIMGMLYlwKM=';
