// What the App-level tests share: settling the stores' promise chains inside
// act(), and fresh stores before each test.
import { act } from '@testing-library/react';
import { resetBridge } from '../stores/bridge-store.js';
import { resetDrafts } from '../stores/draft-store.js';
import { resetProfiles } from '../stores/profile-store.js';
import { resetSettings } from '../stores/settings-store.js';

/** Lets the fake API's promises and the stores' follow-ups run, inside act(). */
export async function flush(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  });
}

export function resetStores(): void {
  resetBridge();
  resetDrafts();
  resetProfiles();
  resetSettings();
}
