// The system configuration a FISCO BCOS 3.x chain starts with, as built by build_chain.sh of v3.16.4
// (FB tools/BcosAirBuilder/build_chain.sh: compatibility_version 3.16.0, block_tx_count_limit 1000,
// leader_period 1, gas_limit 3000000000, executor version 1, web3 chain id 20200) and written into
// the genesis block by FB bcos-ledger/bcos-ledger/Ledger.cpp (buildGenesisBlock) with the feature
// flags of FB bcos-framework/bcos-framework/ledger/Features.h (setGenesisFeatures up to 3.16.0).
// Only keys written there exist: any other key is an "Entry: <key> does not exists!" ledger error.

/** FISCO's block_tx_count_limit default: the most transactions a sealer puts in one block. */
export const TX_COUNT_LIMIT = 1000;
export const TX_GAS_LIMIT = 3_000_000_000;
export const COMPATIBILITY_VERSION = "3.16.0";
/** BlockVersion::V3_16_0_VERSION, the `version` of block headers under that compatibility version */
export const BLOCK_VERSION = 0x03100000;

const GENESIS_BUGFIXES = [
  "bugfix_revert",
  "bugfix_statestorage_hash",
  "bugfix_evm_create2_delegatecall_staticcall_codecopy",
  "bugfix_event_log_order",
  "bugfix_call_noaddr_return",
  "bugfix_precompiled_codehash",
  "bugfix_dmc_revert",
  "bugfix_keypage_system_entry_hash",
  "bugfix_internal_create_redundant_storage",
  "bugfix_empty_abi_reset",
  "bugfix_eip55_addr",
  "bugfix_sharding_call_in_child_executive",
  "bugfix_internal_create_permission_denied",
  "bugfix_eoa_as_contract",
  "bugfix_dmc_deploy_gas_used",
  "bugfix_evm_exception_gas_used",
  "bugfix_set_row_with_dirty_flag",
  "bugfix_staticcall_noaddr_return",
  "bugfix_support_transfer_receive_fallback",
  "bugfix_eoa_match_failed",
  "bugfix_rpbft_vrf_blocknumber_input",
  "bugfix_delete_account_code",
  "bugfix_policy1_empty_code_address",
  "bugfix_precompiled_gasused",
  "bugfix_nonce_not_increase_when_revert",
  "bugfix_set_contract_nonce_when_create",
  "bugfix_precompiled_gascalc",
  "bugfix_method_auth_sender",
  "bugfix_precompiled_evm_status",
  "bugfix_delegatecall_transfer",
  "bugfix_nonce_initialize",
  "bugfix_v1_timestamp",
];

export function systemConfig(opts: {
  gasLimit: number;
  web3ChainId: number;
  evmTimestampSeconds: boolean;
}): ReadonlyMap<string, string> {
  const m = new Map<string, string>([
    ["tx_count_limit", String(TX_COUNT_LIMIT)],
    ["tx_gas_limit", String(opts.gasLimit)],
    ["tx_gas_price", "0x0"],
    ["consensus_leader_period", "1"],
    ["compatibility_version", COMPATIBILITY_VERSION],
    ["auth_check_status", "0"],
    ["web3_chain_id", String(opts.web3ChainId)],
    ["executor_version", "1"],
    ["balance_transfer", "1"],
  ]);
  for (const f of GENESIS_BUGFIXES) m.set(f, "1");
  // set with setSystemConfig on a real chain; here fixed when the data dir is created
  if (opts.evmTimestampSeconds) m.set("feature_evm_timestamp", "1");
  return m;
}
