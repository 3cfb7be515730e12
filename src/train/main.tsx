import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TrainPage } from './TrainPage';
import '../app/styles.css';
import './train.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TrainPage />
  </StrictMode>,
);
