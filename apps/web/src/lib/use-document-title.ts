import { useEffect } from 'react';

/** Sets the tab title while a page is shown: "Page · Warrant". */
export function useDocumentTitle(title: string | undefined, appName: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ${appName}` : appName;
  }, [title, appName]);
}
