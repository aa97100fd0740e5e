import { installQuietRuntime } from './temporal';

installQuietRuntime();
