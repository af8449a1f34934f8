/**
 * A bearer token for the REST API without a browser, for regulators' and integrators' query clients:
 *
 *   npm run token -- --url http://127.0.0.1:8080 --keystore my-key.json
 *   npm run token -- --url http://127.0.0.1:8080 --key 0x<private key>
 *
 * Asks the server for a sign-in challenge (POST /api/auth/challenge), signs it with the account's key
 * (EIP-191 personal_sign) and exchanges the signature for a token (POST /api/auth/session). The key
 * never leaves this machine. A keystore's password comes from YYL_KEYSTORE_PASSWORD or a prompt.
 * Prints the token and its expiry; `--quiet` prints the token alone, `--json` the whole answer.
 */
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { decryptKeystore, walletFromPrivateKey } from "@yyl/sdk";
import type { Wallet } from "ethers";

export interface IssuedToken {
  address: string;
  roles: string[];
  token: string;
  expiresAt: number;
}

const USAGE = `usage: npm run token -- [--url <server>] (--key <hex private key> | --keystore <file>) [--quiet | --json]
  --url       the server (default http://127.0.0.1:8080)
  --key       the account's private key (hex); prefer --keystore, which keeps it off the command line
  --keystore  a Web3 Secret Storage (v3) file; password from YYL_KEYSTORE_PASSWORD, or asked for
  --quiet     print the token only (for TOKEN=$(npm run -s token -- ... --quiet))
  --json      print {address, roles, token, expiresAt} as JSON`;

async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  const target = `${url.replace(/\/+$/, "")}/api${path}`;
  const res = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).catch((e: unknown) => {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new Error(`cannot reach ${target}: ${cause ?? (e as Error).message}`);
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new Error(
      `${target} answered HTTP ${res.status} with something other than JSON: is --url the YiYuanLiao server?`,
    );
  }
  if (!res.ok) {
    const err = json.error as { code?: string; message?: string } | undefined;
    throw new Error(`${path}: HTTP ${res.status} ${err?.code ?? ""} ${err?.message ?? text}`.trim());
  }
  return json as T;
}

/** Signs in to `url` with `wallet` and returns the session's token. */
export async function issueToken(url: string, wallet: Wallet): Promise<IssuedToken> {
  const challenge = await post<{ nonce: string; message: string }>(url, "/auth/challenge", {
    address: wallet.address,
  });
  const signature = await wallet.signMessage(challenge.message);
  const s = await post<{ token: string; expiresAt: number; session: { address: string; roles: string[] } }>(
    url,
    "/auth/session",
    {
      address: wallet.address,
      nonce: challenge.nonce,
      signature,
    },
  );
  return { address: s.session.address, roles: s.session.roles, token: s.token, expiresAt: s.expiresAt };
}

/** Reads a password from the terminal without echoing it (or one line from a piped stdin). */
async function askPassword(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  if (!stdin.isTTY) {
    let data = "";
    for await (const chunk of stdin) {
      data += String(chunk);
      if (data.includes("\n")) break;
    }
    return data.split(/\r?\n/)[0] ?? "";
  }
  return new Promise((resolve, reject) => {
    let answer = "";
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new Error("cancelled"));
        if (ch === "\u007f" || ch === "\b") answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on("data", onData);
  });
}

export async function walletFrom(opts: { key?: string; keystore?: string }): Promise<Wallet> {
  if (opts.key) return walletFromPrivateKey(opts.key.trim());
  const json = await readFile(opts.keystore!, "utf8");
  const password = process.env.YYL_KEYSTORE_PASSWORD ?? (await askPassword(`password of ${opts.keystore}: `));
  return decryptKeystore(json, password);
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string", default: "http://127.0.0.1:8080" },
      key: { type: "string" },
      keystore: { type: "string" },
      quiet: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.key === !values.keystore) {
    console.error(`give either --key or --keystore\n${USAGE}`);
    return 2;
  }
  const wallet = await walletFrom(values);
  const t = await issueToken(values.url, wallet);
  if (values.json) console.log(JSON.stringify(t));
  else if (values.quiet) console.log(t.token);
  else {
    const minutes = Math.round((t.expiresAt - Date.now()) / 60_000);
    console.log(`address:    ${t.address}`);
    console.log(`roles:      ${t.roles.join(", ")}`);
    console.log(`expires at: ${new Date(t.expiresAt).toISOString()} (in ${minutes} min)`);
    console.log(`token:      ${t.token}`);
    console.log(
      `\nSend it as the header  Authorization: Bearer <token>  (Swagger UI: /api/docs → Authorize).`,
    );
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`token: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}
