// "Print this page" links (data-module="app-print-link"): hidden until this script runs, since
// printing from a link needs JavaScript; without it, the browser's own Print works the same.
export function initPrintLinks(root: ParentNode = document): void {
  root.querySelectorAll<HTMLAnchorElement>('[data-module="app-print-link"]').forEach((link) => {
    link.closest<HTMLElement>('.app-print-link')?.removeAttribute('hidden');
    link.addEventListener('click', (event) => {
      event.preventDefault();
      window.print();
    });
  });
}
