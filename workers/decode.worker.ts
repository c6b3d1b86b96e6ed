import * as Comlink from 'comlink';
import { DecodeService } from './service';

// The decode worker: all model and GPU work happens here; the UI talks to it through comlink.
Comlink.expose(new DecodeService());
