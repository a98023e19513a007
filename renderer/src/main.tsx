import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickHost } from './api/pick-host.js';
import { App } from './App.js';
import { connectApp } from './stores/app.js';
import { bindTheme } from './stores/theme-store.js';
import './styles/app.css';

bindTheme();
connectApp(pickHost());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
