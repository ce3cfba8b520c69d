/** The admin key lives in sessionStorage only: gone when the tab closes, never in a URL. */
const STORAGE_KEY = 'llmux.adminKey';

export function storedAdminKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeAdminKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetAdminKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
