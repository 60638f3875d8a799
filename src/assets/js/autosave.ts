// Autosave on answer pages (form[data-autosave]): each answer is saved the moment it is chosen,
// by posting that one answer to the form's data-autosave-url with the page's CSRF token, and a
// polite status says so. Without this script nothing changes: the form's buttons save the page.

const PREFIX = 'answer-';

export function initAutosave(root: ParentNode = document): void {
  root.querySelectorAll<HTMLFormElement>('form[data-autosave]').forEach((form) => {
    const url = form.dataset.autosaveUrl;
    const areaCode = form.dataset.areaCode;
    const token = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value;
    const status = form.querySelector<HTMLElement>('[data-autosave-status]');
    if (!url || !areaCode || !token) return;
    const say = (text: string) => {
      if (status) status.textContent = text;
    };
    // One request at a time, in the order chosen, so a later choice is never overwritten.
    let queue: Promise<void> = Promise.resolve();
    const save = async (statementId: string, value: string) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            'x-csrf-token': token,
          },
          body: JSON.stringify({ areaCode, statementId, value }),
        });
        say(
          response.ok
            ? 'Your answer has been saved.'
            : 'Your answer could not be saved yet. It will be saved when you press a save button.',
        );
      } catch {
        say('Your answer could not be saved yet. It will be saved when you press a save button.');
      }
    };
    form.addEventListener('change', (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || input.type !== 'radio') return;
      if (!input.name.startsWith(PREFIX) || !input.checked) return;
      const statementId = input.name.slice(PREFIX.length);
      queue = queue.then(() => save(statementId, input.value));
    });
  });
}
