"""The layerlab course hub: its settings (from the environment) and the spawn-time course delivery.

Read by jupyterhub_config.py; `./lab hub` installs both into $LAYERLAB_HUB_PREFIX/lib.
Every setting is an environment variable with a default for one course server:

  LAYERLAB_HUB_PREFIX   /opt/layerlab      kernelspec (share/jupyter), course/, lib/
  LAYERLAB_HUB_STATE    PREFIX/state       the hub's database, cookie secret, proxy pid
  LAYERLAB_HUB_IP       127.0.0.1          public address (a reverse proxy with HTTPS in front)
  LAYERLAB_HUB_PORT     8000               public port; the hub itself and the proxy's API
                                           listen on PORT+1 and PORT+2 (loopback)
  LAYERLAB_HUB_AUTH     pam                pam: the machine's accounts in LAYERLAB_HUB_GROUP;
                                           dummy: any name with LAYERLAB_HUB_PASSWORD (tests)
  LAYERLAB_HUB_GROUP    layerlab           Unix group whose members may log in (pam)
  LAYERLAB_HUB_ADMINS   (none)             comma-separated hub admins (teachers)
  LAYERLAB_HEAP         768m               each kernel's JVM heap (-Xmx)    } both reach the
  LAYERLAB_CPUS         1                  processors each kernel's JVM     } kernels as
                                           sizes its threads for            } JDK_JAVA_OPTIONS
  LAYERLAB_HUB_MEM_LIMIT 2G / _CPU_LIMIT 1 advertised to servers (MEM_LIMIT, CPU_LIMIT)
  LAYERLAB_HUB_CULL_TIMEOUT 3600 / _CULL_EVERY 300   stop servers idle this long (seconds)
  LAYERLAB_HUB_MAX_SERVERS 0               cap on running servers (0: none)
  LAYERLAB_HUB_API_TOKEN (none)            a token for the service `layerlab-admin` (teacher
                                           scripts, the load test); no such service without it
"""
import asyncio
import os
import pwd
import re
import sys
from dataclasses import dataclass

_SIZE = re.compile(r'^[0-9]+[kKmMgG]?$')


def _env(name, default):
    return os.environ.get(name, default)


def _int(name, default):
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f'layerlab hub: {name} must be an integer, got {raw!r}') from None


@dataclass(frozen=True)
class Settings:
    prefix: str
    state: str
    ip: str
    port: int
    auth: str
    password: str
    group: str
    admins: frozenset
    heap: str
    cpus: int
    mem_limit: str
    cpu_limit: float
    cull_timeout: int
    cull_every: int
    max_servers: int
    api_token: str

    @property
    def course(self):
        return os.path.join(self.prefix, 'course')

    @property
    def jupyter_path(self):
        return os.path.join(self.prefix, 'share', 'jupyter')

    @property
    def lib(self):
        return os.path.join(self.prefix, 'lib')


def settings():
    prefix = _env('LAYERLAB_HUB_PREFIX', '/opt/layerlab')
    s = Settings(
        prefix=prefix,
        state=_env('LAYERLAB_HUB_STATE', os.path.join(prefix, 'state')),
        ip=_env('LAYERLAB_HUB_IP', '127.0.0.1'),
        port=_int('LAYERLAB_HUB_PORT', 8000),
        auth=_env('LAYERLAB_HUB_AUTH', 'pam'),
        password=_env('LAYERLAB_HUB_PASSWORD', ''),
        group=_env('LAYERLAB_HUB_GROUP', 'layerlab'),
        admins=frozenset(a for a in _env('LAYERLAB_HUB_ADMINS', '').split(',') if a),
        heap=_env('LAYERLAB_HEAP', '768m'),
        cpus=_int('LAYERLAB_CPUS', 1),
        mem_limit=_env('LAYERLAB_HUB_MEM_LIMIT', '2G'),
        cpu_limit=float(_int('LAYERLAB_HUB_CPU_LIMIT', 1)),
        cull_timeout=_int('LAYERLAB_HUB_CULL_TIMEOUT', 3600),
        cull_every=_int('LAYERLAB_HUB_CULL_EVERY', 300),
        max_servers=_int('LAYERLAB_HUB_MAX_SERVERS', 0),
        api_token=_env('LAYERLAB_HUB_API_TOKEN', ''),
    )
    check(s)
    return s


def check(s):
    """Refuses settings the hub would misread later, naming the variable."""
    problems = []
    if s.auth not in ('pam', 'dummy'):
        problems.append(f'LAYERLAB_HUB_AUTH must be pam or dummy, got {s.auth!r}')
    if s.auth == 'dummy' and len(s.password) < 8:
        problems.append('LAYERLAB_HUB_AUTH=dummy needs LAYERLAB_HUB_PASSWORD (8 characters or '
                        'more): every name logs in with it')
    if not _SIZE.match(s.heap):
        problems.append(f'LAYERLAB_HEAP must be a size such as 768m or 2g, got {s.heap!r}')
    if s.cpus < 1:
        problems.append(f'LAYERLAB_CPUS must be 1 or more, got {s.cpus}')
    if s.cull_timeout < 1 or s.cull_every < 1:
        problems.append('LAYERLAB_HUB_CULL_TIMEOUT and LAYERLAB_HUB_CULL_EVERY must be positive')
    kernel = os.path.join(s.jupyter_path, 'kernels', 'layerlab', 'kernel.json')
    if not os.path.isfile(kernel):
        problems.append(f'no layerlab kernelspec at {kernel} (run ./lab hub prepare)')
    if not os.path.isdir(s.course):
        problems.append(f'no course files at {s.course} (run ./lab hub prepare)')
    if problems:
        raise SystemExit('layerlab hub: ' + '; '.join(problems))


def server_environment(s):
    """What every single-user server (and so every kernel it starts) gets in its environment."""
    return {
        # The kernelspec lives under the prefix, readable by every user, not under root's home.
        'JUPYTER_PATH': s.jupyter_path,
        # The java launcher reads this before its command line: each kernel's heap, and the
        # processors it sizes its threads (and, at one, its collector: serial) for.
        'JDK_JAVA_OPTIONS': java_options(s),
        'LAYERLAB_HEAP': s.heap,
        'LAYERLAB_CPUS': str(s.cpus),
        # Debian's hub falls back to the classic server when jupyter_server is absent; say so.
        'JUPYTERHUB_SINGLEUSER_APP': 'notebook.notebookapp.NotebookApp',
        # debugpy (under ipykernel) warns on every server start about frozen modules otherwise.
        'PYDEVD_DISABLE_FILE_VALIDATION': '1',
    }


def java_options(s):
    return f'-Xmx{s.heap} -XX:ActiveProcessorCount={s.cpus}'


# Each student's server listens on a port of its own, below Linux's ephemeral range (32768-60999).
USER_PORT_BASE = 10000
USER_PORT_SPAN = 20000


def server_port(uid):
    """The port of the server of the account `uid`: fixed per account, never a random one.

    NOTE: JupyterHub's default is a random free port, found by binding port 0 and closing it; the
    server binds it a moment later. With 20 servers starting at once on this machine (2026-12-06,
    the load test at K=20), two spawns got the same port, and the proxy sent one student's
    requests to another student's server (404 from the wrong server). Ports from the ephemeral
    range are also what every kernel's five ZeroMQ ports come from. A port per account, outside
    that range, cannot be handed to anyone else.
    """
    return USER_PORT_BASE + uid % USER_PORT_SPAN


def course_hook(s):
    """A pre_spawn_hook: gives the server its port and delivers the course into the student's
    home, as the student."""
    sync = os.path.join(s.lib, 'course_sync.py')

    async def deliver(spawner):
        name = spawner.user.name
        pw = pwd.getpwnam(name)
        spawner.port = server_port(pw.pw_uid)
        # NOTE: run as the student, never as root in a home they control (a symlink there
        # would make root write wherever it points).
        proc = await asyncio.create_subprocess_exec(
            sys.executable, sync, 'sync', '--course', s.course, '--home', pw.pw_dir,
            user=pw.pw_uid, group=pw.pw_gid, extra_groups=os.getgrouplist(name, pw.pw_gid),
            cwd=pw.pw_dir, env={'HOME': pw.pw_dir, 'PATH': '/usr/bin:/bin', 'LANG': 'C.UTF-8'},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
        text = out.decode('utf-8', 'replace').strip()
        if proc.returncode != 0:
            raise RuntimeError(f'course delivery for {name} failed ({proc.returncode}): {text}')
        spawner.log.info('%s', text)

    return deliver


def services(s):
    """The culler (always) and, with a token, the admin service; with the roles they need."""
    culler = [sys.executable, os.path.join(s.lib, 'cull_idle.py'),
              f'--timeout={s.cull_timeout}', f'--every={s.cull_every}']
    svc = [{'name': 'layerlab-culler', 'command': culler}]
    roles = [{'name': 'layerlab-culler', 'services': ['layerlab-culler'],
              'scopes': ['list:users', 'read:users:activity', 'read:servers', 'delete:servers']}]
    if s.api_token:
        svc.append({'name': 'layerlab-admin', 'api_token': s.api_token})
        roles.append({'name': 'layerlab-admin', 'services': ['layerlab-admin'],
                      'scopes': ['admin:users', 'admin:servers', 'tokens', 'list:services',
                                 'read:services', 'read:hub', 'proxy']})
    return svc, roles
