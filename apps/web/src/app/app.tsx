import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router/dom';
import { connectApiClient, createQueryClient } from './query-client.ts';
import { router } from './router.tsx';

const queryClient = createQueryClient();
connectApiClient(queryClient);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
