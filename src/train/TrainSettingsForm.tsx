/**
 * The training page's settings: which members to fine-tune, heads or heads plus backbone blocks,
 * epochs, batch, learning rate, early stopping and mirror augmentation.
 */
import type { MemberOption, TrainingSettings } from './protocol';

export function TrainSettingsForm({ members, settings, onChange }: { members: MemberOption[]; settings: TrainingSettings; onChange: (update: (s: TrainingSettings) => TrainingSettings) => void }) {
  const set = <K extends keyof TrainingSettings>(key: K, value: TrainingSettings[K]) => onChange((s) => ({ ...s, [key]: value }));
  return (
    <div className="train-options" data-testid="train-settings">
      <fieldset>
        <legend>Members to fine-tune</legend>
        {members.map((m) => (
          <label key={m.id} title={m.notTrainable}>
            <input type="checkbox" data-testid={`member-${m.id}`} disabled={!!m.notTrainable} checked={settings.members.includes(m.id)} onChange={(e) => set('members', e.target.checked ? [...settings.members, m.id] : settings.members.filter((x) => x !== m.id))} /> {m.name}
          </label>
        ))}
      </fieldset>
      <label>
        What to train{' '}
        <select value={settings.blocks === 0 ? 'heads' : 'blocks'} onChange={(e) => set('blocks', e.target.value === 'heads' ? 0 : 2)} data-testid="train-what">
          <option value="heads">Heads only (fast)</option>
          <option value="blocks">Heads + last backbone blocks</option>
        </select>
      </label>
      {settings.blocks > 0 && (
        <label>
          Blocks <input type="number" min={1} max={13} value={settings.blocks} onChange={(e) => set('blocks', Math.max(1, Math.min(13, Number(e.target.value))))} />
        </label>
      )}
      <label>
        Epochs <input type="number" min={1} max={200} value={settings.epochs} onChange={(e) => set('epochs', Number(e.target.value))} data-testid="train-epochs" />
      </label>
      <label>
        Batch <input type="number" min={1} max={256} value={settings.batchSize} onChange={(e) => set('batchSize', Number(e.target.value))} data-testid="train-batch" />
      </label>
      <label>
        Learning rate <input type="number" step="any" min={0} value={settings.learningRate} onChange={(e) => set('learningRate', Number(e.target.value))} data-testid="train-lr" />
      </label>
      <label>
        Early stopping after <input type="number" min={1} value={settings.patience} data-testid="train-patience" onChange={(e) => set('patience', Number(e.target.value))} /> epochs without a better valid ε
      </label>
      <label>
        <input type="checkbox" checked={settings.mirror} onChange={(e) => set('mirror', e.target.checked)} /> Mirror augmentation
      </label>
    </div>
  );
}
