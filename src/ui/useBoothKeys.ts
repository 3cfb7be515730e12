/**
 * The booth's keyboard: F conference mode, Space freeze, S snapshot, Esc leave. Keys typed into a
 * form field, or with a modifier (browser shortcuts), are left alone. Outside conference mode
 * Space on a focused button still presses that button; in conference mode Space always freezes
 * (a visitor who just clicked "Conference mode" must not leave it with Space).
 */
import { useEffect, useRef } from 'react';

interface Handlers {
  onConference: () => void;
  onFreeze: () => void;
  onSnapshot: () => void;
  onEscape: () => void;
  /** Space and S only act while the camera runs. */
  running: boolean;
  conference: boolean;
}

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName));
}

export function useBoothKeys(handlers: Handlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || typingInto(e.target)) return;
      const h = latest.current;
      if (e.code === 'KeyF') h.onConference();
      else if (e.code === 'Escape') h.onEscape();
      else if (e.code === 'KeyS' && h.running) h.onSnapshot();
      else if (e.code === 'Space' && h.running) {
        const el = e.target as HTMLElement | null;
        const onButton = !!el && (el.tagName === 'BUTTON' || el.getAttribute('role') === 'button');
        if (onButton && !h.conference) return;
        e.preventDefault();
        if (onButton) el.blur();
        h.onFreeze();
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
