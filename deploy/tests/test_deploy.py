"""The deployment files beyond one machine, parsed and checked against deploy/sizing.yaml.

Nothing here runs Kubernetes or docker; these tests hold the files to the measured figures and to
the properties the course needs (limits, culling, an indexed grading Job with deadlines and no
network), and recompute the sizing note's node counts.
"""
import glob
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(DEPLOY)


def load(rel):
    with open(os.path.join(DEPLOY, rel), encoding='utf-8') as f:
        return yaml.safe_load(f)


def load_all(rel):
    with open(os.path.join(DEPLOY, rel), encoding='utf-8') as f:
        return [d for d in yaml.safe_load_all(f) if d]


def mib(quantity):
    """A memory quantity ('1536Mi', '1536M' as the chart reads it, '2G') in MiB."""
    m = re.fullmatch(r'(\d+)(Mi|M|Gi|G)', str(quantity))
    if not m:
        raise AssertionError(f'not a memory quantity: {quantity!r}')
    n, unit = int(m.group(1)), m.group(2)
    return n * 1024 if unit in ('G', 'Gi') else n


def derived(s):
    """The sizing note's figures, from sizing.yaml alone."""
    per, node, course, grading = s['per_student'], s['node'], s['course'], s['grading']
    by_cpu = math.ceil(course['students'] * per['cpu_guarantee'] / node['allocatable_vcpu'])
    by_mem = math.ceil(course['students'] * per['memory_guarantee_mib'] / 1024
                       / node['allocatable_memory_gib'])
    per_sub = s['measured']['run_wall_s'] + grading['pod_start_s']
    grade_nodes = max(math.ceil(grading['parallelism'] * grading['pod_cpu'] / node['allocatable_vcpu']),
                      math.ceil(grading['parallelism'] * grading['pod_memory_mib'] / 1024
                                / node['allocatable_memory_gib']))
    return {'session_nodes': max(by_cpu, by_mem), 'by_cpu': by_cpu, 'by_mem': by_mem,
            'per_sub': per_sub, 'grade_nodes': grade_nodes,
            'grade_wall': math.ceil(grading['submissions'] / grading['parallelism']) * per_sub}


class SizingTest(unittest.TestCase):
    def setUp(self):
        self.s = load('sizing.yaml')

    def test_per_student_figures_follow_the_measurement(self):
        m, per = self.s['measured'], self.s['per_student']
        self.assertGreaterEqual(per['memory_guarantee_mib'], m['kernel_rss_mib'] + m['server_rss_mib'])
        heap = int(per['heap'].rstrip('mM'))
        # the heap, ~250 MiB of the JVM's own, the server
        self.assertGreaterEqual(per['memory_limit_mib'], heap + 250 + m['server_rss_mib'])
        self.assertEqual(per['cpu_guarantee'], math.ceil(100 * m['cores'] / m['k_max']) / 100)
        self.assertLessEqual(per['cpu_guarantee'], per['cpu_limit'])

    def test_grading_parallelism_meets_the_deadline_with_half_of_it_spare(self):
        g, d = self.s['grading'], derived(self.s)
        self.assertEqual(g['parallelism'],
                         math.ceil(g['submissions'] * d['per_sub'] / (g['deadline_s'] / 2)))
        self.assertLessEqual(d['grade_wall'], g['deadline_s'])
        self.assertGreaterEqual(g['pod_deadline_s'], 5 * self.s['measured']['run_wall_s'])

    def test_the_sizing_note_states_the_recomputed_node_counts(self):
        with open(os.path.join(DEPLOY, 'README.md'), encoding='utf-8') as f:
            note = f.read()
        d, c = derived(self.s), self.s['course']
        self.assertIn(f'**Lab session: {d["session_nodes"]} student nodes + {c["core_nodes"]} core '
                      f'node**', note)
        nodes = f'{d["grade_nodes"]} node' + ('' if d['grade_nodes'] == 1 else 's')
        self.assertIn(f'**Grading: {nodes}, parallelism '
                      f'{self.s["grading"]["parallelism"]}, about {round(d["grade_wall"] / 60)} min**',
                      note)


class ZeroToJupyterHubTest(unittest.TestCase):
    def setUp(self):
        self.s = load('sizing.yaml')
        self.c = load('z2jh/config.yaml')
        self.u = self.c['singleuser']

    def test_limits_and_guarantees_are_the_sizing(self):
        per = self.s['per_student']
        self.assertEqual(mib(self.u['memory']['guarantee']), per['memory_guarantee_mib'])
        self.assertEqual(mib(self.u['memory']['limit']), per['memory_limit_mib'])
        self.assertEqual(self.u['cpu']['guarantee'], per['cpu_guarantee'])
        self.assertEqual(self.u['cpu']['limit'], per['cpu_limit'])
        opts = self.u['extraEnv']['JDK_JAVA_OPTIONS'].split()
        self.assertIn('-Xmx' + per['heap'], opts)
        self.assertIn(f'-XX:ActiveProcessorCount={per["cpu_limit"]}', opts)
        self.assertLess(mib(per['heap'].upper()), mib(self.u['memory']['limit']))

    def test_culling_image_and_course_files(self):
        cull = self.c['cull']
        self.assertTrue(cull['enabled'])
        self.assertGreater(cull['timeout'], 0)
        self.assertGreater(cull['every'], 0)
        self.assertTrue(self.u['image']['name'])
        self.assertEqual(self.u['cmd'], 'jupyterhub-singleuser')
        hook = self.u['lifecycleHooks']['postStart']['exec']['command']
        self.assertIn('/opt/layerlab/lib/course_sync.py', hook)
        self.assertEqual(hook[hook.index('--course') + 1], '/opt/layerlab/course')
        self.assertEqual(hook[hook.index('--home') + 1], self.u['storage']['homeMountPath'])
        self.assertEqual(self.u['extraEnv']['JUPYTERHUB_SINGLEUSER_APP'],
                         'notebook.notebookapp.NotebookApp')

    def test_https_and_an_authenticator(self):
        self.assertTrue(self.c['proxy']['https']['enabled'])
        self.assertTrue(self.c['proxy']['https']['hosts'])
        self.assertIn('authenticator_class', self.c['hub']['config']['JupyterHub'])


class GradeJobTest(unittest.TestCase):
    def setUp(self):
        self.s = load('sizing.yaml')
        docs = load_all('k8s/grade-job.yaml')
        self.policy = next(d for d in docs if d['kind'] == 'NetworkPolicy')
        self.job = next(d for d in docs if d['kind'] == 'Job')
        self.pod = self.job['spec']['template']['spec']
        self.box = self.pod['containers'][0]

    def test_indexed_one_submission_per_pod_with_deadlines(self):
        spec, g = self.job['spec'], self.s['grading']
        self.assertEqual(spec['completionMode'], 'Indexed')
        self.assertEqual(spec['completions'], g['submissions'])
        self.assertEqual(spec['parallelism'], g['parallelism'])
        self.assertEqual(spec['activeDeadlineSeconds'], g['deadline_s'])
        self.assertEqual(self.pod['activeDeadlineSeconds'], g['pod_deadline_s'])
        self.assertEqual(self.pod['restartPolicy'], 'Never')

    def test_resources_are_guaranteed_and_sized(self):
        res, g = self.box['resources'], self.s['grading']
        self.assertEqual(res['requests'], res['limits'])
        self.assertEqual(float(res['limits']['cpu']), g['pod_cpu'])
        self.assertEqual(mib(res['limits']['memory']), g['pod_memory_mib'])
        env = {e['name']: e for e in self.box['env']}
        self.assertEqual(env['LAYERLAB_HEAP']['value'], self.s['per_student']['heap'])

    def test_no_network_no_token_no_privilege(self):
        labels = self.job['spec']['template']['metadata']['labels']
        selector = self.policy['spec']['podSelector']['matchLabels']
        self.assertTrue(selector.items() <= labels.items())
        self.assertEqual(self.policy['metadata']['namespace'], self.job['metadata']['namespace'])
        self.assertIn('Egress', self.policy['spec']['policyTypes'])
        self.assertEqual(self.policy['spec'].get('egress', []), [])
        self.assertIs(self.pod['automountServiceAccountToken'], False)
        self.assertTrue(self.pod['securityContext']['runAsNonRoot'])
        self.assertIs(self.box['securityContext']['allowPrivilegeEscalation'], False)

    def test_each_pod_sees_only_its_own_submission_and_results(self):
        env = {e['name']: e for e in self.box['env']}
        ref = env['SUBMISSION_INDEX']['valueFrom']['fieldRef']['fieldPath']
        self.assertEqual(ref, "metadata.annotations['batch.kubernetes.io/job-completion-index']")
        mounts = {m['name']: m for m in self.box['volumeMounts']}
        for name in ('submissions', 'results'):
            self.assertEqual(mounts[name]['subPathExpr'], '$(SUBMISSION_INDEX)')
        self.assertTrue(mounts['submissions']['readOnly'])
        self.assertEqual(self.box['command'], ['/opt/layerlab/bin/grade-one.sh'])

    def test_the_gather_job_has_the_same_isolation(self):
        gather = load_all('k8s/gather-job.yaml')[0]
        labels = gather['spec']['template']['metadata']['labels']
        self.assertTrue(self.policy['spec']['podSelector']['matchLabels'].items() <= labels.items())
        self.assertIs(gather['spec']['template']['spec']['automountServiceAccountToken'], False)
        self.assertIn('activeDeadlineSeconds', gather['spec'])


class DockerfileTest(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(DEPLOY, 'image', 'Dockerfile'), encoding='utf-8') as f:
            self.text = f.read()

    def test_stages_from_debian(self):
        stages = re.findall(r'^FROM (\S+) AS (\S+)$', self.text, re.M)
        self.assertEqual([s for _, s in stages], ['build', 'base', 'singleuser', 'grader'])
        for image, _ in stages:
            self.assertTrue(image.startswith('debian:') or image in ('base',), image)

    def test_every_copied_path_exists(self):
        for line in re.findall(r'^COPY (?!--from)(.+)$', self.text, re.M):
            for src in line.split()[:-1]:
                self.assertTrue(os.path.exists(os.path.join(ROOT, src)), f'COPY {src}: missing')
        # `COPY . /src/` in the grader stage: build outputs and git stay out of the context
        with open(os.path.join(ROOT, '.dockerignore'), encoding='utf-8') as f:
            ignored = f.read().split()
        for path in ('**/target', '.git'):
            self.assertIn(path, ignored)

    def test_packages_and_the_kernel_install(self):
        for pkg in ('openjdk-17-jdk-headless', 'jupyterhub', 'jupyter-notebook',
                    'dataset-fashion-mnist'):
            self.assertIn(pkg, self.text)
        self.assertIn('LAYERLAB_HUB_PREFIX=/opt/layerlab ./lab hub install', self.text)
        self.assertIn('JUPYTER_PATH=/opt/layerlab/share/jupyter', self.text)
        self.assertIn('JDK_JAVA_OPTIONS="-Xmx768m -XX:ActiveProcessorCount=1"', self.text)
        # students' image: no masters; graders' image: the masters and the per-pod script
        single = self.text.split('AS singleuser')[1].split('AS grader')[0]
        self.assertNotIn('labs/', single)
        self.assertIn('grade-one.sh', self.text.split('AS grader')[1])

    def test_the_base_stage_install_step_works_on_its_copies(self):
        """The base stage's COPY lines replayed into a folder, then its `./lab hub install`."""
        base = self.text.split('AS base')[1].split('AS singleuser')[0]
        jar = os.path.join(ROOT, 'kernel-ext', 'target', 'layerlab-kernel.jar')
        self.assertTrue(os.path.isfile(jar), f'{jar} missing: build first (./lab kernel)')
        tmp = tempfile.mkdtemp(prefix='image-install-test-')
        os.chmod(tmp, 0o755)  # the image's users reach /opt/layerlab through it
        try:
            for src, dest in re.findall(r'^COPY (?:--from=build )?(\S+) (\S+)$', base, re.M):
                src = src.replace('/src/', '', 1) if src.startswith('/src/') else src
                target = os.path.join(tmp, dest.lstrip('/'))
                if os.path.isdir(os.path.join(ROOT, src)):
                    shutil.copytree(os.path.join(ROOT, src), target, dirs_exist_ok=True)
                else:
                    os.makedirs(target if dest.endswith('/') else os.path.dirname(target),
                                exist_ok=True)
                    shutil.copy(os.path.join(ROOT, src), target)
            prefix = os.path.join(tmp, 'opt', 'layerlab')
            env = dict(os.environ, LAYERLAB_HUB_PREFIX=prefix)
            done = subprocess.run([os.path.join(tmp, 'src', 'lab'), 'hub', 'install'], env=env,
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            for need in ('share/jupyter/kernels/layerlab/kernel.json', 'lib/course_sync.py',
                         'lib/jupyterhub_config.py', 'course/01-pooling.ipynb'):
                self.assertTrue(os.path.exists(os.path.join(prefix, need)), need)
            with open(os.path.join(prefix, 'share/jupyter/kernels/layerlab/kernel.json')) as f:
                argv = json.load(f)['argv']
            # the grader's copy puts -Xmx after argv[0] and reads the jars from -cp
            self.assertTrue(argv[0].endswith('/java'), argv)
            jars = argv[argv.index('-cp') + 1]
            self.assertTrue(jars.startswith(prefix) and glob.glob(jars[:-1] + '*.jar'), jars)
        finally:
            shutil.rmtree(tmp)


if __name__ == '__main__':
    unittest.main()
