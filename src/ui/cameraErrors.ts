/** People-readable reasons a camera could not be started (getUserMedia's DOMException names). */
export function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was denied. Allow the camera for this site in the browser’s address bar, or drop photos instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect a camera, or drop photos instead.';
    case 'NotReadableError':
      return 'The camera is in use by another application. Close it and try again.';
    default:
      return `The camera could not be started${error instanceof Error ? ` (${error.message})` : ''}.`;
  }
}
