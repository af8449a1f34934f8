/** One value read from the server, with its loading flag and the message of the last failed read. */
import { onMounted, ref, type Ref } from "vue";
import { toApiError } from "@/api/client";

export interface Resource<T> {
  /** The last value read; kept on screen while it is read again or when a later read fails. */
  data: Ref<T | null>;
  loading: Ref<boolean>;
  error: Ref<string>;
  /** The API code of the last failed read (e.g. NO_KEY_FOR_READER), for pages that tell denials apart. */
  errorCode: Ref<string>;
  load: () => Promise<void>;
}

/** Reads when the calling component mounts (unless `immediate` is false); `load()` reads again. */
export function useResource<T>(read: () => Promise<T>, { immediate = true } = {}): Resource<T> {
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = ref("");
  const errorCode = ref("");

  async function load(): Promise<void> {
    loading.value = true;
    error.value = "";
    errorCode.value = "";
    try {
      data.value = await read();
    } catch (e) {
      const err = toApiError(e);
      error.value = err.message;
      errorCode.value = err.code;
    } finally {
      loading.value = false;
    }
  }

  if (immediate) onMounted(() => void load());
  return { data, loading, error, errorCode, load };
}
