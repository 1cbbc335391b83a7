import { $ } from './dom.js';

// Sign in, create an account, or continue as a guest — all against the trusted backend.
export function setupAuthView(root, { session, onSignedIn, describeError }) {
  const view = root.querySelector('[data-view="auth"]');
  const errorBox = $(view, 'auth-error');

  const showError = (message) => {
    errorBox.textContent = message ?? '';
    errorBox.hidden = !message;
  };

  for (const tab of view.querySelectorAll('[data-tab]')) {
    tab.addEventListener('click', () => {
      for (const other of view.querySelectorAll('[data-tab]')) {
        other.setAttribute('aria-selected', String(other === tab));
      }
      for (const form of view.querySelectorAll('form[data-form]')) form.hidden = form.dataset.form !== tab.dataset.tab;
      showError(null);
    });
  }

  const actions = {
    signin: (f) => session.signIn(f.get('username'), f.get('password')),
    signup: (f) => session.signUp(f.get('username'), f.get('email'), f.get('password')),
    guest: (f) => session.guest(f.get('name')),
  };

  for (const form of view.querySelectorAll('form[data-form]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      showError(null);
      try {
        await actions[form.dataset.form](new FormData(form));
        form.reset();
        await onSignedIn();
      } catch (error) {
        showError(describeError(error));
      } finally {
        button.disabled = false;
      }
    });
  }

  return { showError };
}
