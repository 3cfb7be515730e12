/**
 * The hidden training page (/train.html, Alt+Shift+T on the main page): drop a labelled face
 * dataset, align its faces, fine-tune the ensemble in a worker with live charts, compare before
 * and after, save the result for the main page or export it as a zip.
 */
import { useEffect, useRef, useState } from 'react';
import { assembleDataset, DEFAULT_DATASET_OPTIONS, type AssembledDataset, type DatasetIssue } from '../data/dataset';
import { chosenEnsemble, ensembleUrlFor, forcedBackend, MEDIAPIPE_BASE } from '../config/settings';
import type { DatasetEntry } from './datasetInput';
import { DatasetSection } from './DatasetSection';
import { FaceThumbs, type Thumb } from './FaceThumbs';
import { downloadBlob } from '../ui/export/download';
import { fmtTime } from './pageUtils';
import { DEFAULT_TRAINING_SETTINGS, type MemberOption, type TrainMessage, type TrainRequest, type TrainingSettings } from './protocol';
import { TrainingCharts, type EpochPoint, type StepPoint } from './TrainingCharts';
import { TrainResults } from './TrainResults';
import { TrainSettingsForm } from './TrainSettingsForm';

type Phase = 'loading' | 'idle' | 'preprocessing' | 'preprocessed' | 'training' | 'trained';

export function TrainPage() {
  const worker = useRef<Worker | null>(null);
  const [phase, setPhase] = useState<Phase>('loading');
  const [status, setStatus] = useState('Loading the face landmarks and the models…');
  const [error, setError] = useState<string | null>(null);
  const [backend, setBackend] = useState('');
  const [baseName, setBaseName] = useState('');
  const [members, setMembers] = useState<MemberOption[]>([]);
  const [defaultStd, setDefaultStd] = useState(DEFAULT_DATASET_OPTIONS.defaultStd);
  const [validFraction, setValidFraction] = useState(DEFAULT_DATASET_OPTIONS.validFraction);
  const [entries, setEntries] = useState<DatasetEntry[]>([]);
  const [inputProblems, setInputProblems] = useState<string[]>([]);
  const [dataset, setDataset] = useState<AssembledDataset | null>(null);
  const [thumbs, setThumbs] = useState<Thumb[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number; eta: number } | null>(null);
  const [settings, setSettings] = useState<TrainingSettings>(DEFAULT_TRAINING_SETTINGS);
  const [steps, setSteps] = useState<StepPoint[]>([]);
  const [epochs, setEpochs] = useState<EpochPoint[]>([]);
  const [paused, setPaused] = useState(false);
  const [results, setResults] = useState<Extract<TrainMessage, { type: 'trained' }> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [checkpoint, setCheckpoint] = useState<Extract<TrainMessage, { type: 'checkpoint-available' }> | null>(null);
  const stepCount = useRef(0);
  const rejects = useRef<DatasetIssue[]>([]);

  const send = (request: TrainRequest) => worker.current?.postMessage(request);

  useEffect(() => {
    const w = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'agedist-training' });
    worker.current = w;
    w.onerror = (e) => setError(`The training worker crashed: ${e.message || 'unknown error'}. Reload the page.`);
    w.onmessage = (event: MessageEvent<TrainMessage>) => {
      const m = event.data;
      switch (m.type) {
        case 'ready':
          setBackend(m.backend);
          setBaseName(m.ensembleName);
          setMembers(m.members);
          setSettings((s) => ({ ...s, members: m.members.filter((x) => !x.notTrainable).map((x) => x.id) }));
          setPhase('idle');
          setStatus('Drop a dataset to begin.');
          break;
        case 'preprocessed-one':
          setThumbs((ts) => ts.map((t) => (t.index === m.index ? { ...t, url: m.crop ? URL.createObjectURL(m.crop) : undefined, rejected: m.rejected } : t)));
          break;
        case 'preprocess-progress':
          setProgress({ done: m.done, total: m.total, eta: m.etaSeconds });
          break;
        case 'preprocess-done':
          setPhase('preprocessed');
          setStatus(`Aligned ${m.accepted} faces (${m.cached} from the cache), ${m.rejected} rejected, in ${fmtTime(m.seconds)}.`);
          break;
        case 'phase':
          setStatus(m.message);
          break;
        case 'batch':
          stepCount.current++;
          setSteps((s) => [...s, { step: stepCount.current, kl: m.kl }]);
          setStatus(`${m.member}: epoch ${m.epoch}, step ${m.batch}/${m.batches}, KL ${m.kl.toFixed(3)} · about ${fmtTime(m.etaSeconds)} left for this member`);
          break;
        case 'epoch':
          setEpochs((e) => [...e, { step: stepCount.current, epoch: m.epoch, member: m.member, trainKl: m.trainKl, validKl: m.validKl, validMae: m.validMae, validEpsilon: m.validEpsilon }]);
          break;
        case 'paused':
          setPaused(true);
          setStatus('Paused. Resume to continue from the same step.');
          break;
        case 'resumed':
          setPaused(false);
          break;
        case 'trained':
          setPhase('trained');
          setPaused(false);
          setResults(m);
          setStatus(m.cancelled ? 'Cancelled: the table shows the weights of the best epoch reached so far.' : `Done in ${fmtTime(m.seconds)}.`);
          break;
        case 'saved':
          setSaved(m.name);
          break;
        case 'exported':
          downloadBlob(new Blob([m.zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), `${m.name.replace(/[^\w.-]+/g, '_')}.zip`);
          break;
        case 'error':
          setError(m.message);
          if (m.during === 'train') setPhase('preprocessed');
          if (m.during === 'preprocess') setPhase('idle');
          break;
        case 'checkpoint-available':
          setCheckpoint(m);
          break;
      }
    };
    const ensembleKey = chosenEnsemble();
    w.postMessage({ type: 'init', forcedBackend: forcedBackend(), ensembleUrl: ensembleUrlFor(ensembleKey), mediapipeBase: MEDIAPIPE_BASE } satisfies TrainRequest);
    return () => w.terminate();
  }, []);

  useEffect(() => {
    // Leaving mid-training loses the run: ask first.
    if (phase !== 'training' && phase !== 'preprocessing') return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [phase]);

  const load = async (got: Promise<{ entries: DatasetEntry[]; problems: string[] }>) => {
    setError(null);
    const { entries: list, problems } = await got;
    const texts = new Map<string, string>();
    for (const e of list) if (/\.csv$/i.test(e.path)) texts.set(e.path, await e.file.text());
    const assembled = assembleDataset(list.map((e) => e.path), (p) => texts.get(p) ?? '', { ...DEFAULT_DATASET_OPTIONS, defaultStd, validFraction });
    setEntries(list);
    setInputProblems(problems);
    setDataset(assembled);
    rejects.current = [];
    setResults(null);
    setSaved(null);
    thumbs.forEach((t) => t.url && URL.revokeObjectURL(t.url));
    setThumbs(assembled.samples.map((s, index) => ({ index, path: s.path })));
    if (assembled.samples.length === 0) {
      setError('No labelled face images were found. The report below says why.');
      return;
    }
    const byPath = new Map(list.map((e) => [e.path, e.file]));
    setPhase('preprocessing');
    setProgress({ done: 0, total: assembled.samples.length, eta: 0 });
    setStatus('Finding and aligning faces…');
    send({ type: 'preprocess', samples: assembled.samples.map((s, index) => ({ index, path: s.path, file: byPath.get(s.path)!, mean: s.mean, std: s.std, split: s.split })) });
  };

  const start = (resume = false) => {
    setCheckpoint(null);
    setError(null);
    setSteps([]);
    setEpochs([]);
    setResults(null);
    setSaved(null);
    stepCount.current = 0;
    setPhase('training');
    setStatus('Starting…');
    send({ type: 'train', settings, resume });
  };

  const report: DatasetIssue[] = [
    ...inputProblems.map((p) => ({ source: 'input', reason: p })),
    ...(dataset?.issues ?? []),
    ...thumbs.filter((t) => t.rejected).map((t) => ({ source: t.path, reason: t.rejected! })),
  ];
  const canDrop = phase === 'idle' || phase === 'preprocessed' || phase === 'trained';

  return (
    <div className="app train-page">
      <header>
        <h1>
          agedist <small>training page</small>
        </h1>
        <span className="badge" data-testid="train-backend" data-backend={backend}>
          {backend ? `Training on ${backend} · base: ${baseName}` : 'Loading…'}
        </span>
      </header>
      <main>
        <p className="train-status" role="status" data-testid="train-status">{status}</p>
        {error && (
          <div className="error-banner" role="alert" data-testid="train-error">
            {error}
          </div>
        )}

        {checkpoint && (phase === 'idle' || phase === 'preprocessed') && (
          <div className="resume-banner" role="status" data-testid="resume-banner">
            An earlier run ({checkpoint.faces} faces) stopped at {checkpoint.member}, epoch {checkpoint.epoch || 'end'} ({new Date(checkpoint.savedAt).toLocaleString()}).{' '}
            <button type="button" onClick={() => start(true)} data-testid="train-resume">
              Resume from the checkpoint
            </button>{' '}
            <button type="button" className="link" onClick={() => setCheckpoint(null)}>
              Dismiss
            </button>
          </div>
        )}

        <DatasetSection
          canDrop={canDrop}
          onLoad={(got) => void load(got)}
          defaultStd={defaultStd}
          onDefaultStd={setDefaultStd}
          validFraction={validFraction}
          onValidFraction={setValidFraction}
          files={entries.length}
          dataset={dataset}
          report={report}
        />

        <FaceThumbs thumbs={thumbs} progress={progress} />

        <section className="train-step">
          <h2>3. Training</h2>
          <TrainSettingsForm members={members} settings={settings} onChange={setSettings} />
          <p className="train-buttons">
            <button type="button" disabled={phase !== 'preprocessed' && phase !== 'trained'} onClick={() => start()} data-testid="train-start">
              Start training
            </button>{' '}
            <button type="button" disabled={phase !== 'training'} onClick={() => send({ type: paused ? 'resume' : 'pause' })} data-testid="train-pause">
              {paused ? 'Resume' : 'Pause'}
            </button>{' '}
            <button type="button" disabled={phase !== 'training'} onClick={() => send({ type: 'cancel' })} data-testid="train-cancel">
              Cancel
            </button>
          </p>
          <TrainingCharts steps={steps} epochs={epochs} />
        </section>

        {results && (
          <TrainResults
            results={results}
            backend={backend}
            saved={saved}
            onSave={(name) => send({ type: 'save', name })}
            onExport={(name) => send({ type: 'export', name })}
          />
        )}
      </main>
    </div>
  );
}
