/**
 * Registers the service worker (vite.config.ts, VitePWA) and says when the page has become
 * usable offline, or when a new version is waiting: that one takes over only when asked, so a
 * running analysis or camera session is never reloaded away.
 */
import { useRegisterSW } from 'virtual:pwa-register/react';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError: (error) => console.warn('service worker not registered; the page needs the network', error),
  });

  if (needRefresh) {
    return (
      <div className="sw-toast" role="status" data-testid="update-ready">
        <span>A new version of agedist is ready.</span>
        <button type="button" onClick={() => void updateServiceWorker()}>Reload</button>
        <button type="button" className="link" onClick={() => setNeedRefresh(false)}>Later</button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="sw-toast" role="status" data-testid="offline-ready">
        <span>agedist now also works offline.</span>
        <button type="button" className="link" onClick={() => setOfflineReady(false)}>OK</button>
      </div>
    );
  }
  return null;
}
