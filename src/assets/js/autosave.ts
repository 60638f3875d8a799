// Autosave on answer pages (form[data-autosave]): each answer is saved the moment it is chosen,
// by posting that one answer to the form's data-autosave-url with the page's CSRF token, and a
// polite status (role="status") says what happened. It never says an answer is saved, or will
// be, unless that is true. Without this script nothing changes: the form's buttons save the page.

const PREFIX = 'answer-';

/** What the status says after one save; `signIn`: the message ends with a sign-in link. */
export interface AutosaveMessage {
  text: string;
  signIn?: boolean;
}

/**
 * The message for a save's outcome: an HTTP status, 'redirect' (a redirect the request did not
 * follow: the server sends a signed-out person to sign in) or 'network' (no answer at all).
 */
export function autosaveMessage(outcome: number | 'redirect' | 'network'): AutosaveMessage {
  if (outcome === 204) return { text: 'Your answer has been saved.' };
  if (outcome === 401 || outcome === 403 || outcome === 'redirect')
    return {
      text: 'You have been signed out, so this answer has not been saved. Sign in, then choose it again to keep it.',
      signIn: true,
    };
  if (outcome === 409)
    return {
      text: 'This self-assessment has already been submitted, so this answer has not been saved.',
    };
  return { text: 'Your answer has not been saved yet. Press "Save and continue" to save it.' };
}

export function initAutosave(root: ParentNode = document): void {
  root.querySelectorAll<HTMLFormElement>('form[data-autosave]').forEach((form) => {
    const url = form.dataset.autosaveUrl;
    const areaCode = form.dataset.areaCode;
    const token = form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value;
    const status = form.querySelector<HTMLElement>('[data-autosave-status]');
    if (!url || !areaCode || !token) return;
    const say = ({ text, signIn }: AutosaveMessage) => {
      if (!status) return;
      status.textContent = text;
      if (!signIn) return;
      const link = document.createElement('a');
      link.href = `/sign-in?returnTo=${encodeURIComponent(window.location.pathname)}`;
      link.textContent = 'Sign in';
      status.append(' ', link);
    };
    // One request at a time, in the order chosen, so a later choice is never overwritten.
    let queue: Promise<void> = Promise.resolve();
    const save = async (statementId: string, value: string) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          credentials: 'same-origin',
          // A signed-out person is redirected to sign in: do not follow it into a 200 page.
          redirect: 'manual',
          headers: {
            accept: 'application/json',
            'content-type': 'application/json',
            'x-csrf-token': token,
          },
          body: JSON.stringify({ areaCode, statementId, value }),
        });
        say(autosaveMessage(response.type === 'opaqueredirect' ? 'redirect' : response.status));
      } catch {
        say(autosaveMessage('network'));
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
