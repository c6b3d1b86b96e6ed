/** Page layout: header with the device, messages, the controls column and the panels. */
import { DeviceStatus } from './components/DeviceStatus';
import { ChartsSection } from './components/charts/ChartsSection';
import { ErrorBanner } from './components/ErrorBanner';
import { ErrorBoundary } from './components/ErrorBoundary';
import { HeatmapControls } from './components/HeatmapControls';
import { ImportedBanner } from './components/ImportedBanner';
import { Legend } from './components/Legend';
import { LessonCard } from './components/LessonCard';
import { LessonMenu } from './components/LessonMenu';
import { LoadProgressView } from './components/LoadProgressView';
import { ModelCacheView } from './components/ModelCacheView';
import { ModelPicker } from './components/ModelPicker';
import { PanelList } from './components/PanelList';
import { PromptInput } from './components/PromptInput';
import { PromptTokensView } from './components/PromptTokensView';
import { RunActions } from './components/RunActions';
import { RunSettings } from './components/RunSettings';
import { ShareExport } from './components/ShareExport';
import { UrlWarnings } from './components/UrlWarnings';
import { useAppStore } from './store';

/** The whole app; the root carries `data-run-state` for tests and scripts. */
export function App() {
  const runState = useAppStore((s) => s.runState);
  return (
    <div className="app" data-testid="app" data-run-state={runState}>
      <header className="app-header">
        <div className="brand">
          <h1>Logitscope</h1>
          <p className="tagline">Watch a language model choose its next token.</p>
        </div>
        <LessonMenu />
        <DeviceStatus />
      </header>
      <div className="messages">
        <LessonCard />
        <ErrorBanner />
        <UrlWarnings />
      </div>
      <main className="layout">
        <section className="controls" aria-label="Run settings">
          <PromptInput />
          <ErrorBoundary label="the prompt's tokens">
            <PromptTokensView />
          </ErrorBoundary>
          <ModelPicker />
          <RunSettings />
          <RunActions />
          <ShareExport />
          <ModelCacheView />
        </section>
        <section className="output" aria-label="Generated text">
          <LoadProgressView />
          <ImportedBanner />
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
