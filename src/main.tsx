import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { readUrlIntoStore } from './ui/useUrlSync';
import './ui/app.css';

// The link's settings go into the store before the first render, so nothing can overwrite them.
readUrlIntoStore(location.search);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
