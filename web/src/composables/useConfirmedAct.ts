/**
 * An act on one item (a row of a list) that the user confirms in a `ConfirmDialog` first: which item
 * is waiting for confirmation, whether the act runs, and running it.
 */
import { ref, type Ref } from "vue";
import { reportError } from "@/utils/errors";

export interface ConfirmedAct<T> {
  /** The item being confirmed; the dialog is open while there is one. */
  target: Ref<T | null>;
  busy: Ref<boolean>;
  /** Opens the confirmation for `item`. */
  ask: (item: T) => void;
  /** Runs the act on the item; the dialog closes once it succeeded, and stays open on a failure (shown). */
  confirm: () => Promise<void>;
}

export function useConfirmedAct<T>(act: (item: T) => Promise<void>): ConfirmedAct<T> {
  const target = ref(null) as Ref<T | null>;
  const busy = ref(false);

  async function confirm(): Promise<void> {
    const item = target.value;
    if (item === null) return;
    busy.value = true;
    try {
      await act(item);
      target.value = null;
    } catch (e) {
      reportError(e);
    } finally {
      busy.value = false;
    }
  }

  return { target, busy, ask: (item) => (target.value = item), confirm };
}
