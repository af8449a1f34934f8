/**
 * Compiles contracts/src/**\/*.sol with solc 0.8.11 (in process, standard JSON) and writes
 * contracts/artifacts/<Name>.json for each deployable contract declared in a top-level src/*.sol file,
 * plus contracts/artifacts/index.ts exporting typed `{contractName, abi, bytecode}` consts.
 *
 * Fails on any compiler error; prints warnings. Asserts that no deployed bytecode contains PUSH0,
 * BASEFEE, CHAINID or SELFDESTRUCT (FISCO BCOS 3.x runs a London EVM by default).
 */
import { createRequire } from "node:module";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

interface Solc {
  version(): string;
  compile(
    input: string,
    callbacks?: { import: (path: string) => { contents: string } | { error: string } },
  ): string;
}

interface SolcMessage {
  severity: "error" | "warning" | "info";
  type: string;
  formattedMessage?: string;
  message: string;
}

interface SolcContractOutput {
  abi: unknown[];
  evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
}

interface SolcOutput {
  errors?: SolcMessage[];
  contracts?: Record<string, Record<string, SolcContractOutput>>;
}

export const EXPECTED_SOLC_VERSION = "0.8.11";
export const SETTINGS = {
  evmVersion: "london",
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
} as const;

/** Opcodes a FISCO BCOS 3.x (London) chain must not see, or that we never mean to emit. */
export const FORBIDDEN_OPCODES: ReadonlyMap<number, string> = new Map([
  [0x5f, "PUSH0"],
  [0x48, "BASEFEE"],
  [0x46, "CHAINID"],
  [0xff, "SELFDESTRUCT"],
]);

/** Strips solc's CBOR metadata trailer (its length is the last two bytes) from runtime bytecode. */
export function stripMetadata(code: Uint8Array): Uint8Array {
  if (code.length < 2) return code;
  const len = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  if (len + 2 > code.length) return code;
  // CBOR map header (0xa1..0xa5) starts the trailer.
  const head = code[code.length - 2 - len]!;
  if (head < 0xa1 || head > 0xa5) return code;
  return code.subarray(0, code.length - 2 - len);
}

/** Walks opcodes (skipping PUSH data) and returns the forbidden ones found, with their offsets. */
export function findForbiddenOpcodes(hex: string): { offset: number; name: string }[] {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  const code = stripMetadata(Uint8Array.from(Buffer.from(clean, "hex")));
  const found: { offset: number; name: string }[] = [];
  for (let pc = 0; pc < code.length; pc++) {
    const op = code[pc]!;
    if (op >= 0x60 && op <= 0x7f) {
      pc += op - 0x5f; // PUSH1..PUSH32 data
      continue;
    }
    const name = FORBIDDEN_OPCODES.get(op);
    if (name !== undefined) found.push({ offset: pc, name });
  }
  return found;
}

function listSol(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...listSol(p));
    else if (entry.endsWith(".sol")) out.push(p);
  }
  return out;
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const srcDir = join(root, "src");
  const outDir = join(root, "artifacts");

  const solc = require("solc") as Solc;
  const version = solc.version();
  if (!version.startsWith(EXPECTED_SOLC_VERSION + "+")) {
    throw new Error(`solc ${EXPECTED_SOLC_VERSION} expected, found ${version}`);
  }

  const files = listSol(srcDir);
  const toKey = (p: string): string => relative(srcDir, p).split(sep).join("/");
  const sources: Record<string, { content: string }> = {};
  for (const f of files) sources[toKey(f)] = { content: readFileSync(f, "utf8") };

  const input = { language: "Solidity", sources, settings: SETTINGS };
  const findImport = (path: string): { contents: string } | { error: string } => {
    const p = resolve(srcDir, path);
    if (!p.startsWith(srcDir + sep)) return { error: `import outside contracts/src: ${path}` };
    try {
      return { contents: readFileSync(p, "utf8") };
    } catch {
      return { error: `not found: ${path}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;

  const messages = output.errors ?? [];
  const errors = messages.filter((m) => m.severity === "error");
  for (const m of messages.filter((x) => x.severity !== "error")) {
    console.warn(m.formattedMessage ?? `${m.type}: ${m.message}`);
  }
  if (errors.length > 0) {
    for (const m of errors) console.error(m.formattedMessage ?? `${m.type}: ${m.message}`);
    throw new Error(`solc: ${errors.length} error(s)`);
  }

  // Deployable = declared in a top-level src/*.sol file with non-empty creation bytecode.
  const deployable: { name: string; abi: unknown[]; bytecode: string; deployedBytecode: string }[] = [];
  for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
    if (file.includes("/")) continue;
    for (const [name, c] of Object.entries(contracts)) {
      if (c.evm.bytecode.object.length === 0) continue;
      deployable.push({
        name,
        abi: c.abi,
        bytecode: "0x" + c.evm.bytecode.object.toLowerCase(),
        deployedBytecode: "0x" + c.evm.deployedBytecode.object.toLowerCase(),
      });
    }
  }
  deployable.sort((a, b) => a.name.localeCompare(b.name));
  if (deployable.length === 0) throw new Error("no deployable contracts in contracts/src/*.sol");

  for (const d of deployable) {
    const bad = findForbiddenOpcodes(d.deployedBytecode);
    if (bad.length > 0) {
      throw new Error(
        `${d.name}: forbidden opcode(s) in deployed bytecode: ` +
          bad.map((b) => `${b.name}@${b.offset}`).join(", "),
      );
    }
  }

  // Replace files atomically (write + rename) so a concurrent reader never sees a partial artifact, and
  // drop artifacts of contracts that no longer exist.
  mkdirSync(outDir, { recursive: true });
  const writeAtomic = (file: string, content: string): void => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  };
  const keep = new Set([...deployable.map((d) => `${d.name}.json`), "index.ts"]);
  for (const f of readdirSync(outDir)) if (!keep.has(f)) rmSync(join(outDir, f), { force: true });
  const compiler = { version, settings: { evmVersion: SETTINGS.evmVersion, optimizer: SETTINGS.optimizer } };
  for (const d of deployable) {
    writeAtomic(
      join(outDir, `${d.name}.json`),
      JSON.stringify(
        {
          contractName: d.name,
          abi: d.abi,
          bytecode: d.bytecode,
          deployedBytecode: d.deployedBytecode,
          compiler,
        },
        null,
        2,
      ) + "\n",
    );
  }

  const lines: string[] = [
    "// Generated by contracts/scripts/build.ts — do not edit.",
    `// solc ${version}, evmVersion ${SETTINGS.evmVersion}, optimizer ${SETTINGS.optimizer.runs} runs.`,
    "",
  ];
  for (const d of deployable) {
    lines.push(
      `export const ${d.name} = {`,
      `  contractName: ${JSON.stringify(d.name)},`,
      `  abi: ${JSON.stringify(d.abi, null, 2).replace(/\n/g, "\n  ")},`,
      `  bytecode: ${JSON.stringify(d.bytecode)},`,
      `} as const;`,
      "",
    );
  }
  lines.push(
    "export const artifacts = {",
    ...deployable.map((d) => `  ${d.name},`),
    "} as const;",
    "",
    "export type ContractName = keyof typeof artifacts;",
    "",
  );
  writeAtomic(join(outDir, "index.ts"), lines.join("\n"));

  for (const d of deployable) {
    const size = (d.deployedBytecode.length - 2) / 2;
    console.log(`${d.name}: ${size} bytes deployed, ${d.abi.length} ABI entries`);
  }
  console.log(`wrote ${deployable.length} artifact(s) to ${relative(process.cwd(), outDir) || "."}`);
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
