/**
 * `v-access="['doctor']"` — shows the element only to a session holding one of the roles
 * (`v-access="'alliance-admin'"` works too). Reacts to role changes (sign-out, approval).
 */
import { watchEffect, type App, type Directive, type WatchStopHandle } from "vue";
import type { SessionRole } from "@/api/types";
import { useSessionStore } from "@/stores/session";

type AccessValue = SessionRole | SessionRole[];

const stops = new WeakMap<HTMLElement, WatchStopHandle>();
const bindings = new WeakMap<HTMLElement, { value: AccessValue }>();

function allowed(value: AccessValue): boolean {
  const wanted = Array.isArray(value) ? value : [value];
  if (!wanted.length) return true;
  return useSessionStore().hasRole(...wanted);
}

export const access: Directive<HTMLElement, AccessValue> = {
  mounted(el, binding) {
    const state = { value: binding.value };
    bindings.set(el, state);
    const original = el.style.display;
    stops.set(
      el,
      watchEffect(() => {
        el.style.display = allowed(state.value) ? original : "none";
      }),
    );
  },
  updated(el, binding) {
    const state = bindings.get(el);
    if (state) state.value = binding.value;
    el.style.display = allowed(binding.value) ? "" : "none";
  },
  unmounted(el) {
    stops.get(el)?.();
    stops.delete(el);
    bindings.delete(el);
  },
};

export function installAccessDirective(app: App): void {
  app.directive("access", access);
}

/** The same check for script code. */
export function useAccess(): { can: (value: AccessValue) => boolean } {
  return { can: allowed };
}

declare module "vue" {
  interface ComponentCustomProperties {
    vAccess: typeof access;
  }
}
