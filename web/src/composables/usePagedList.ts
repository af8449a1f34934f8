/** Loading, paging and error state for a `{items, page, pageSize, total}` list. */
import { ref, type Ref } from "vue";
import type { Page } from "@/api/types";

export function usePagedList<T, Q extends object>(
  fetch: (query: Q & { page: number; pageSize: number }) => Promise<Page<T>>,
  query: () => Q,
  pageSize = 20,
): {
  items: Ref<T[]>;
  total: Ref<number>;
  page: Ref<number>;
  pageSize: Ref<number>;
  loading: Ref<boolean>;
  error: Ref<string>;
  load: (reset?: boolean) => Promise<void>;
} {
  const items = ref<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const size = ref(pageSize);
  const loading = ref(false);
  const error = ref("");
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

  return { items, total, page, pageSize: size, loading, error, load };
}
