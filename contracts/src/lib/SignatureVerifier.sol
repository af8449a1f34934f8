// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

/// @title SignatureVerifier
/// @notice The one place that turns a digest and a signature into a signer address.
/// @dev ECDSA over secp256k1 with `ecrecover`, for non-SM (non national-crypto) FISCO BCOS groups and
///      standard EVMs. On SM groups this library is the piece to replace: an SM2 check through FISCO's
///      crypto precompile at 0x100a (`sm2Verify(bytes32 message, bytes publicKey, bytes32 r, bytes32 s)
///      returns (bool, address)`) would take the place of `ecrecover`, with SM3 instead of keccak256.
library SignatureVerifier {
    /// @dev secp256k1n / 2; signatures with a larger `s` are malleable copies and are rejected.
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    /// @notice Recovers the signer of `digest` from a 65-byte signature `r ‖ s ‖ v`.
    /// @param digest The signed 32-byte digest (the EIP-712 hash).
    /// @param signature 65 bytes: r (32), s (32), v (1, 27 or 28).
    /// @return signer The recovered address, or address(0) for a malformed, high-s or bad-v signature
    ///         or when recovery fails.
    function recover(bytes32 digest, bytes memory signature) internal pure returns (address signer) {
        if (signature.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        // solhint-disable-next-line no-inline-assembly
        assembly {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        if (uint256(s) > HALF_ORDER) return address(0);
        if (v != 27 && v != 28) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
