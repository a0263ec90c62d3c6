import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { readUrlIntoStore } from './ui/useUrlSync';
import { simulateFault } from './store/controller';
import './ui/app.css';

// A handle for tests and the curious: lose the GPU device or crash the worker on purpose.
(window as unknown as { rnnPlayground: object }).rnnPlayground = { simulateFault };

// The link's settings go into the store before the first render, so nothing can overwrite them.
readUrlIntoStore(location.search);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
