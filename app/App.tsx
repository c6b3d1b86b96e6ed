/** Page layout: header with the device, messages, the controls column and the panels. */
import { DeviceStatus } from './components/DeviceStatus';
import { ChartsSection } from './components/charts/ChartsSection';
import { CompareBanner } from './components/CompareBanner';
import { ErrorBanner } from './components/ErrorBanner';
import { ErrorBoundary } from './components/ErrorBoundary';
import { HeatmapControls } from './components/HeatmapControls';
import { ImportedBanner } from './components/ImportedBanner';
import { LinkConsentCard } from './components/LinkConsentCard';
import { Legend } from './components/Legend';
import { LessonCard } from './components/LessonCard';
import { LessonMenu } from './components/LessonMenu';
import { LoadProgressView } from './components/LoadProgressView';
import { ModelCacheView } from './components/ModelCacheView';
import { ModelPicker } from './components/ModelPicker';
import { PanelList } from './components/PanelList';
import { PromptInput } from './components/PromptInput';
import { PromptTokensView } from './components/PromptTokensView';
import { RunBar, SETTINGS_COLUMN_ID } from './components/RunBar';
import { RunSettings } from './components/RunSettings';
import { ShareExport } from './components/ShareExport';
import { UpdateBanner } from './components/UpdateBanner';
import { UrlWarnings } from './components/UrlWarnings';
import { useAppStore } from './store';

/** The whole app; the root carries `data-run-state` (for tests and scripts), the page mode and step mode (for the styles). */
export function App() {
  const runState = useAppStore((s) => s.runState);
  const presentation = useAppStore((s) => s.presentation);
  const collapsed = useAppStore((s) => s.settingsCollapsed);
  const stepMode = useAppStore((s) => s.stepMode);
  return (
    <div className="app" data-testid="app" data-run-state={runState} data-mode={presentation ? 'present' : 'normal'} data-step={stepMode || undefined}>
      <header className="app-header">
        <div className="brand">
          <h1>Logitscope</h1>
          <p className="tagline">Watch a language model choose its next token.</p>
        </div>
        <LessonMenu />
        <DeviceStatus />
      </header>
      <RunBar />
      <div className="messages">
        <UpdateBanner />
        <LinkConsentCard />
        <LessonCard />
        <ErrorBanner />
        <UrlWarnings />
      </div>
      <main className={collapsed ? 'layout settings-collapsed' : 'layout'}>
        {/* Folded with `hidden`, not unmounted: what was typed in the settings stays. */}
        <section className="controls" id={SETTINGS_COLUMN_ID} aria-label="Run settings" data-testid="settings-column" hidden={collapsed}>
          <PromptInput />
          <ErrorBoundary label="the prompt's tokens">
            <PromptTokensView />
          </ErrorBoundary>
          <ModelPicker />
          <RunSettings />
          <ShareExport />
          <ModelCacheView />
        </section>
        <section className="output" aria-label="Generated text">
          <LoadProgressView />
          <ImportedBanner />
          <CompareBanner />
          <div className="view-bar">
            <HeatmapControls />
            <Legend />
          </div>
          <PanelList />
          <ErrorBoundary label="the charts">
            <ChartsSection />
          </ErrorBoundary>
        </section>
      </main>
    </div>
  );
}
