/**
 * Opens a record's content outside the portal, for regulators' and integrators' clients: content is
 * end-to-end encrypted, so the REST API answers ciphertext and the key wraps the caller can open.
 *
 *   npm run open-record -- --url http://127.0.0.1:8080 --keystore my-key.json --record 0x<record id> [--version 2]
 *
 * Signs in with the key (as `npm run token`), reads the record (the read is decided on chain under the
 * patient's grant, like any other), fetches the caller's attribute key if the alliance issued one, and
 * decrypts here. Prints the FHIR Bundle as JSON. The key never leaves this machine.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { openRecordVersion, openSealedForMember, type AbeUserKeyJson, type RecordKeyWrap, type SealedForMember } from "@yyl/sdk";
import { issueToken, walletFrom } from "./token.ts";

const USAGE = `usage: npm run open-record -- [--url <server>] (--key <hex> | --keystore <file>) --record <0x id> [--version <n>]
  --version   a version of the record (default: the latest)`;

type Sealed = { envelope: string; wraps: RecordKeyWrap[] };

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string", default: "http://127.0.0.1:8080" },
      key: { type: "string" },
      keystore: { type: "string" },
      record: { type: "string" },
      version: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.key === !values.keystore || !values.record) {
    console.error(`give --record and either --key or --keystore\n${USAGE}`);
    return 2;
  }
  const wallet = await walletFrom(values);
  const { token } = await issueToken(values.url, wallet);
  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${values.url!.replace(/\/+$/, "")}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok && res.status !== 404) throw new Error(`${path}: HTTP ${res.status} ${body.error?.code ?? ""} ${body.error?.message ?? ""}`.trim());
    return { status: res.status, body };
  };
  const path = values.version ? `/emr/records/${values.record}/versions/${values.version}` : `/emr/records/${values.record}`;
  const { body: read } = await get<{ record: { recordId: string; version: number }; version?: { version: number }; content: Sealed }>(path);
  const issued = await get<{ sealed: SealedForMember }>("/keys/attribute-key");
  const abeUserKey =
    issued.status === 200
      ? ((await openSealedForMember(wallet.privateKey, issued.body.sealed, `yyl/abe-user-key:${wallet.address}`)) as AbeUserKeyJson)
      : null;
  const version = read.version?.version ?? read.record.version;
  const bundle = await openRecordVersion(read.content, read.record.recordId, version, {
    address: wallet.address,
    privateKey: wallet.privateKey,
    abeUserKey,
  });
  console.log(JSON.stringify(bundle, null, 2));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`open-record: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
