// Tests for SealCrypto live beside this file; this one keeps the target non-empty until they land.
