/** Chain info for EIP-712 domains and the status bar's block number (polled while the app is open). */
import { defineStore } from "pinia";
import { ref } from "vue";
import { chainApi } from "@/api/chain";
import type { ChainInfo } from "@/api/types";

const POLL_MS = 5_000;

export const useChainStore = defineStore("chain", () => {
  const info = ref<ChainInfo | null>(null);
  const blockNumber = ref<number | null>(null);
  const online = ref<boolean | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;

  async function load(): Promise<ChainInfo | null> {
    try {
      const i = await chainApi.info(true);
      info.value = i;
      blockNumber.value = Number(i.blockNumber);
      online.value = true;
      return i;
    } catch {
      online.value = false;
      return null;
    }
  }

  /** Chain info for signing; throws (with the toast) when the server cannot give it. */
  async function require(): Promise<ChainInfo> {
    const i = await chainApi.info(false);
    info.value = i;
    blockNumber.value = Number(i.blockNumber);
    online.value = true;
    return i;
  }

  function startPolling(): void {
    if (timer) return;
    void load();
    timer = setInterval(() => void load(), POLL_MS);
  }

  function stopPolling(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  return { info, blockNumber, online, load, require, startPolling, stopPolling };
});
