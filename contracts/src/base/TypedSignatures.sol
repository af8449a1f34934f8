// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.11;

import {ITypedSignatures} from "../interfaces/ITypedSignatures.sol";
import {SignatureVerifier} from "../lib/SignatureVerifier.sol";

/// @title TypedSignatures
/// @notice EIP-712 domain, deadline and unordered-nonce handling shared by the registries.
/// @dev The domain's chainId is the constructor argument, not the CHAINID opcode (FISCO BCOS chain ids
///      are strings and the opcode's value is not what clients sign). Deadlines are compared with
///      `block.timestamp`, which is in milliseconds on FISCO BCOS and on the devnode.
abstract contract TypedSignatures is ITypedSignatures {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    bytes32 private immutable _domainSeparator;

    mapping(address => mapping(uint256 => bool)) private _nonceUsed;

    constructor(string memory name, uint256 chainId) {
        _domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(name)), keccak256(bytes("1")), chainId, address(this))
        );
    }

    /// @inheritdoc ITypedSignatures
    function nonceUsed(address signer, uint256 nonce) external view override returns (bool used) {
        return _nonceUsed[signer][nonce];
    }

    /// @inheritdoc ITypedSignatures
    function domainSeparator() external view override returns (bytes32 separator) {
        return _domainSeparator;
    }

    /// @dev Checks the deadline, that `sig` over `structHash` recovers to `signer`, and consumes the nonce.
    function _useSignature(
        address signer,
        uint256 nonce,
        uint256 deadline,
        bytes32 structHash,
        bytes memory sig
    ) internal {
        _checkDeadline(deadline);
        address recovered = _recover(structHash, sig);
        if (recovered != signer || recovered == address(0)) revert SignatureInvalid(signer, recovered);
        _useNonce(signer, nonce);
    }

    /// @dev Checks the deadline and recovers the signer of `sig` over `structHash` (reverts if none).
    ///      The caller decides whether the signer is acceptable and then calls `_useNonce`.
    function _recoverSigner(
        uint256 deadline,
        bytes32 structHash,
        bytes memory sig
    ) internal view returns (address signer) {
        _checkDeadline(deadline);
        signer = _recover(structHash, sig);
        if (signer == address(0)) revert SignatureInvalid(address(0), address(0));
    }

    /// @dev Reverts once the block time (ms) is past `deadline` (ms).
    function _checkDeadline(uint256 deadline) private view {
        // solhint-disable-next-line not-rely-on-time
        if (block.timestamp > deadline) revert SignatureExpired(deadline, block.timestamp);
    }

    /// @dev The EIP-712 digest of `structHash` in this contract's domain, passed to the verifier.
    function _recover(bytes32 structHash, bytes memory sig) private view returns (address) {
        return SignatureVerifier.recover(keccak256(abi.encodePacked("\x19\x01", _domainSeparator, structHash)), sig);
    }

    /// @dev Marks (signer, nonce) used; reverts if it already was.
    function _useNonce(address signer, uint256 nonce) internal {
        if (_nonceUsed[signer][nonce]) revert SignatureNonceUsed(signer, nonce);
        _nonceUsed[signer][nonce] = true;
    }
}
