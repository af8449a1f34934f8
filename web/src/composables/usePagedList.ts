/** Loading, paging and error state for a `{items, page, pageSize, total}` list. */
import { onMounted, ref, watch, type Ref, type WatchSource } from "vue";
import type { Page } from "@/api/types";

export interface PagedList<T> {
  items: Ref<T[]>;
  total: Ref<number>;
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  error: Ref<string>;
  /** Reads the current page again, or page 1 with `reset` (after the query changed). */
  load: (reset?: boolean) => Promise<void>;
}

/**
 * Loads the first page when the calling component mounts, and page 1 again whenever one of
 * `resetOn` changes (a tab or a filter that narrows the query).
 */
export function usePagedList<T, Q extends object>(
  fetch: (query: Q & { page: number; pageSize: number }) => Promise<Page<T>>,
  query: () => Q,
  { resetOn = [], pageSize = 20 }: { resetOn?: WatchSource[]; pageSize?: number } = {},
): PagedList<T> {
  const items = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const size = ref(pageSize);
  const loading = ref(false);
  const error = ref("");
  // Only the newest request may write its answer: switching tabs quickly must not show an older tab.
  let seq = 0;

  async function load(reset = false): Promise<void> {
    if (reset) page.value = 1;
    const mine = ++seq;
    loading.value = true;
    error.value = "";
    try {
      const res = await fetch({ ...query(), page: page.value, pageSize: size.value });
      if (mine !== seq) return;
      items.value = res.items;
      total.value = res.total;
    } catch (e) {
      if (mine !== seq) return;
      items.value = [];
      total.value = 0;
      error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  if (resetOn.length) watch(resetOn, () => void load(true));
  onMounted(() => void load());

  return { items, total, page, pageSize: size, loading, error, load };
}
