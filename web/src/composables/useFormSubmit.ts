/**
 * The state of a form that sends one request (most of them signed first): the fields' messages, the
 * failure of the last attempt, and whether it is under way.
 */
import { reactive, ref, type Ref } from "vue";
import { toApiError } from "@/api/client";
import { clearErrors, fieldErrorsOf, isCancelled, reportError } from "@/utils/errors";

export interface FormSubmit {
  /** A message per form field; the form's own checks fill it too. */
  errors: Record<string, string>;
  /** The failure of the last attempt (empty when the form shows failures as a message instead). */
  error: Ref<string>;
  busy: Ref<boolean>;
  /** Clears the messages of the last attempt (on opening, before checking again). */
  reset: () => void;
  /** Whether a check left a message on a field. */
  invalid: () => boolean;
  /**
   * Runs `send` (signing, request, what follows): busy meanwhile. A cancelled password prompt is not
   * a failure; the server's messages on `fields` go to those fields, its whole message to `error`
   * (or to a message on screen with `toast`).
   */
  run: (send: () => Promise<void>) => Promise<void>;
}

export function useFormSubmit({
  fields,
  rename = {},
  toast = false,
}: {
  /** The request's fields whose server messages the form shows by its fields of the same name. */
  fields: readonly string[];
  /** Request fields shown by a form field of another name (`{ recordId: "subject" }`). */
  rename?: Record<string, string>;
  /** Show a failure as a message on screen rather than in `error`. */
  toast?: boolean;
}): FormSubmit {
  const errors = reactive<Record<string, string>>({});
  const error = ref("");
  const busy = ref(false);

  function reset(): void {
    clearErrors(errors);
    error.value = "";
  }

  async function run(send: () => Promise<void>): Promise<void> {
    busy.value = true;
    try {
      await send();
    } catch (e) {
      if (isCancelled(e)) return;
      const f = fieldErrorsOf(e);
      for (const k of fields) if (f[k]) errors[k] = f[k];
      for (const [from, to] of Object.entries(rename)) if (f[from]) errors[to] = f[from];
      if (toast) reportError(e, { apiShown: false });
      else error.value = toApiError(e).message;
    } finally {
      busy.value = false;
    }
  }

  return { errors, error, busy, reset, invalid: () => Object.values(errors).some(Boolean), run };
}
