/** Saves a Blob as a file through the browser's download, without leaving the page. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: some browsers read the blob URL only after click() returns, and a
  // URL revoked by then downloads nothing (FileSaver.js waits 40 s for the same reason).
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
