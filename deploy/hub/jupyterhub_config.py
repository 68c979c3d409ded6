# JupyterHub configuration of the layerlab course server (Debian's jupyterhub 3.0).
# `./lab hub` installs this file into $LAYERLAB_HUB_PREFIX/lib and starts
#   jupyterhub -f $LAYERLAB_HUB_PREFIX/lib/jupyterhub_config.py
# as root; the settings are environment variables, listed in layerlab_hub.py.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layerlab_hub  # noqa: E402  (lives next to this file)

s = layerlab_hub.settings()
c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

# NOTE: Debian's configurable-http-proxy finds its modules ('commander', ...) only through
# NODE_PATH when the `node` on PATH is not Debian's; the hub passes its environment on.
os.environ.setdefault('NODE_PATH', '/usr/share/nodejs')

c.JupyterHub.ip = s.ip
c.JupyterHub.port = s.port
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = s.port + 1
c.ConfigurableHTTPProxy.api_url = f'http://127.0.0.1:{s.port + 2}'
c.ConfigurableHTTPProxy.command = ['/usr/bin/configurable-http-proxy']
c.ConfigurableHTTPProxy.pid_file = os.path.join(s.state, 'proxy.pid')
c.JupyterHub.pid_file = os.path.join(s.state, 'jupyterhub.pid')
c.JupyterHub.db_url = 'sqlite:///' + os.path.join(s.state, 'jupyterhub.sqlite')
c.JupyterHub.cookie_secret_file = os.path.join(s.state, 'jupyterhub_cookie_secret')

if s.auth == 'pam':
    c.JupyterHub.authenticator_class = 'pam'
    c.PAMAuthenticator.allowed_groups = {s.group}
    c.PAMAuthenticator.open_sessions = False
else:
    c.JupyterHub.authenticator_class = 'dummy'
    c.DummyAuthenticator.password = s.password
c.Authenticator.admin_users = set(s.admins)
# Root's server would need --allow-root and could read every home: root never logs in.
c.Authenticator.blocked_users = {'root'}

# One process per student, running as that student's Linux account (files owned by them).
c.JupyterHub.spawner_class = 'localprocess'
c.Spawner.cmd = ['/usr/bin/jupyterhub-singleuser']
c.Spawner.notebook_dir = '~'
c.Spawner.default_url = '/tree/layerlab'
c.Spawner.environment = layerlab_hub.server_environment(s)
c.Spawner.pre_spawn_hook = layerlab_hub.course_hook(s)
# NOTE: LocalProcessSpawner does not enforce these; it hands them to the server as MEM_LIMIT and
# CPU_LIMIT. What is enforced here is the kernel's JVM (heap and processors, JDK_JAVA_OPTIONS
# from server_environment); Kubernetes enforces both (deploy/z2jh/config.yaml).
c.Spawner.mem_limit = s.mem_limit
c.Spawner.cpu_limit = s.cpu_limit
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.active_server_limit = s.max_servers

c.JupyterHub.services, c.JupyterHub.load_roles = layerlab_hub.services(s)
