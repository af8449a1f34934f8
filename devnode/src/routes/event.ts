// POST /event/eventLogs/list (EventController): a contract's past events, decoded with the given ABI.
import type { EventFragment, Interface } from "ethers";
import { formatDecodedArgs, parseAbi, toValue } from "../abi-codec.ts";
import { ADDRESS, asObject, isBlank, requireGroup, type App } from "../app.ts";
import { Code, FrontError } from "../errors.ts";
import type { Router } from "../http.ts";

function blockArg(v: unknown, dflt: number, head: number): number {
  if (v === undefined || v === null || v === "") return dflt;
  const n = Number(v);
  if (!Number.isInteger(n))
    throw new FrontError(Code.PARAM_VALID_FAIL, "param valid fail", `bad block number ${String(v)}`);
  if (n < 0) return head; // -1 means latest, as in WeBASE's block-range parameters
  return Math.min(n, head);
}

function findEvent(iface: Interface, eventName: string): EventFragment {
  let ev: EventFragment | null = null;
  try {
    ev = iface.getEvent(eventName.trim());
  } catch {
    ev = null;
  }
  if (!ev)
    throw new FrontError(Code.PARAM_VALID_FAIL, "param valid fail", `event ${eventName} not in contractAbi`);
  return ev;
}

export function eventRoutes(r: Router, app: App): void {
  r.post("/event/eventLogs/list", async ({ body }) => {
    const req = asObject(body);
    requireGroup(app, req.groupId ?? "1");
    if (isBlank(req.contractAddress))
      throw new FrontError(Code.CONTRACT_ADDRESS_NULL, "contractAddress is null");
    const address = String(req.contractAddress).trim();
    if (!ADDRESS.test(address)) throw new FrontError(Code.ADDRESS_INVALID, "address is invalid");
    if (req.contractAbi === undefined || req.contractAbi === null) {
      throw new FrontError(Code.PARAM_VALID_FAIL, "contractAbi cannot be empty");
    }
    const iface = parseAbi(req.contractAbi);
    const topics = (req.topics ?? {}) as Record<string, unknown>;
    if (typeof topics !== "object" || isBlank(topics.eventName)) {
      throw new FrontError(Code.PARAM_VALID_FAIL, "param valid fail", "topics.eventName cannot be empty");
    }
    const ev = findEvent(iface, String(topics.eventName));

    // indexed1..3 = {type, value}: filter on the n-th indexed parameter.
    const indexed = ev.inputs.filter((p) => p.indexed);
    const filterValues: unknown[] = indexed.map(() => null);
    for (let i = 0; i < 3; i++) {
      const f = topics[`indexed${i + 1}`] as { type?: unknown; value?: unknown } | null | undefined;
      if (!f || f.value === undefined || f.value === null || f.value === "") continue;
      const p = indexed[i];
      if (!p)
        throw new FrontError(
          Code.PARAM_VALID_FAIL,
          "param valid fail",
          `event has no indexed parameter ${i + 1}`,
        );
      filterValues[i] = toValue(p, f.value);
    }
    let topicFilter: (string | null)[];
    try {
      topicFilter = iface
        .encodeFilterTopics(ev, filterValues)
        .map((t) => (Array.isArray(t) ? (t[0] ?? null) : t));
    } catch (e) {
      throw new FrontError(
        Code.UNABLE_TO_CREATE_INSTANCE,
        "unable to create instance of type, check input params",
        (e as Error).message,
      );
    }

    const head = await app.chain.blockNumber();
    const fromBlock = blockArg(req.fromBlock, 0, head);
    const toBlock = blockArg(req.toBlock, head, head);
    const logs =
      fromBlock > toBlock
        ? []
        : await app.chain.logs({ fromBlock, toBlock, address: address.toLowerCase(), topics: topicFilter });

    const rows = logs.map((l) => {
      let data: string[] = [];
      try {
        data = formatDecodedArgs(ev.inputs, iface.decodeEventLog(ev, l.data, l.topics));
      } catch {
        /* a log that does not decode with this ABI is still listed, without decoded values */
      }
      return {
        log: {
          logIndex: Number(BigInt(l.logIndex)),
          transactionIndex: Number(BigInt(l.transactionIndex)),
          transactionHash: l.transactionHash,
          blockHash: l.blockHash,
          blockNumber: Number(BigInt(l.blockNumber)),
          address: l.address.toLowerCase(),
          data: l.data,
          topics: l.topics,
        },
        data,
      };
    });
    return { json: { code: 0, message: "success", data: rows, totalCount: rows.length } };
  });
}
