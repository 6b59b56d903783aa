/**
 * The signed-in API key, kept in sessionStorage: it lasts as long as the tab, is not shared with other
 * tabs, and never goes into the URL or localStorage.
 */
const STORAGE_KEY = 'ticket-gateway.console.api-key';

export const session = {
  get key() {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  signIn(key) {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  signOut() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
