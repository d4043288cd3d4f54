import { loadConfigFile } from '../../config/load-config.ts';
import { type Command, configOption, configPath } from '../command.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a config file and report every problem with its path',
  usage: 'healthcheck validate --config FILE',
  options: { ...configOption },
  async run(values, io) {
    const file = configPath(values, io);
    const config = await loadConfigFile(file, { env: io.env });
    const suites = config.suites.length;
    io.stdout.write(
      `${file}: valid (${config.checks.length} check${config.checks.length === 1 ? '' : 's'}, ` +
        `${suites} suite${suites === 1 ? '' : 's'}, time zone ${config.timezone})\n`,
    );
    return 0;
  },
};
