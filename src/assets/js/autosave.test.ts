/** The autosave status messages: what the person is told after each kind of outcome. */
import { describe, expect, it } from 'vitest';
import { autosaveMessage } from './autosave.js';

describe('autosave messages', () => {
  it('says the answer is saved only when the server saved it', () => {
    expect(autosaveMessage(204)).toEqual({ text: 'Your answer has been saved.' });
    for (const outcome of [200, 302, 401, 403, 409, 422, 500, 'redirect', 'network'] as const)
      expect(autosaveMessage(outcome).text, String(outcome)).not.toMatch(
        /has been saved|will be saved/,
      );
  });

  it('asks a signed-out person to sign in to keep the answer, with a link', () => {
    for (const outcome of [401, 403, 'redirect'] as const)
      expect(autosaveMessage(outcome)).toEqual({
        text: 'You have been signed out, so this answer has not been saved. Sign in, then choose it again to keep it.',
        signIn: true,
      });
  });

  it('says a submitted assessment cannot be changed', () => {
    expect(autosaveMessage(409).text).toBe(
      'This self-assessment has already been submitted, so this answer has not been saved.',
    );
    expect(autosaveMessage(409).signIn).toBeUndefined();
  });

  it('points to the save button when the server or the network fails', () => {
    for (const outcome of [422, 500, 'network'] as const)
      expect(autosaveMessage(outcome)).toEqual({
        text: 'Your answer has not been saved yet. Press "Save and continue" to save it.',
      });
  });
});
