/**
 * The signed-in patient's own records (the latest 100), to pick one in a form and to name a record
 * id by its title in lists.
 */
import { computed, onMounted, ref } from "vue";
import { emrApi } from "@/api/emr";
import type { EmrRecord } from "@/api/types";
import { shortHex } from "@/utils/format";

export function useMyRecords() {
  const records = ref<EmrRecord[]>([]);
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      records.value = (await emrApi.records({ pageSize: 100 }, true)).items;
    } catch {
      records.value = [];
    } finally {
      loading.value = false;
    }
  }

  const byId = computed(() => new Map(records.value.map((r) => [r.recordId.toLowerCase(), r])));

  /** A record's title (or its short id when unknown here). */
  function titleOf(recordId: string | null | undefined): string {
    if (!recordId) return "—";
    return byId.value.get(recordId.toLowerCase())?.title ?? shortHex(recordId, 10, 6);
  }

  /** The doctors who wrote the patient's records, once each. */
  const doctors = computed(() => {
    const seen = new Map<string, { address: string; name: string | null; hospitalName: string | null }>();
    for (const r of records.value)
      if (!seen.has(r.doctor))
        seen.set(r.doctor, { address: r.doctor, name: r.doctorName, hospitalName: r.hospitalName });
    return [...seen.values()];
  });

  /** The category names of the patient's records, once each (for a category grant). */
  const categories = computed(() => [
    ...new Set(records.value.map((r) => r.categoryName).filter((c): c is string => !!c)),
  ]);

  onMounted(() => void load());
  return { records, loading, load, titleOf, doctors, categories };
}
