import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { readUrlIntoStore } from './ui/useUrlSync';
import { analysisCost, savedWeightsStep, simulateFault } from './store/controller';
import { registerOffline } from './offline/register';
import './ui/app.css';

// A handle for tests and the curious: lose the GPU device, crash or hang the worker on purpose,
// see which step's weights a restart would start from, and what the latest analysis cost.
(window as unknown as { rnnPlayground: object }).rnnPlayground = { simulateFault, savedWeightsStep, analysisCost };

// The link's settings go into the store before the first render, so nothing can overwrite them.
readUrlIntoStore(location.search);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// After one visit the app and its lessons open with no network.
registerOffline();
