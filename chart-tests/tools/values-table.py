#!/usr/bin/env python3
# Prints the values table of charts/proxplane/README.md from the "# --" comments of values.yaml
# (helm-docs style; run from anywhere, paste the output under "## Values").
# ChartRenderTest.theReadmeDocumentsEveryValue fails when a value has no row.
import re,sys,json
lines=open(__import__('os').path.join(__import__('os').path.dirname(__file__), '../../charts/proxplane/values.yaml')).read().split('\n')
stack=[]; comment=[]; rows=[]
def fmt(v):
    v=v.strip()
    return v if v else ''
i=0
while i<len(lines):
    l=lines[i]
    if not l.strip(): comment=[]; i+=1; continue
    s=l.strip()
    if s.startswith('#'):
        t=s.lstrip('#').strip()
        if t.startswith('-- '): comment=[t[3:]]
        elif comment: comment.append(t)
        i+=1; continue
    ind=len(l)-len(l.lstrip())
    m=re.match(r'^(\s*)([A-Za-z0-9_]+):\s*(.*)$',l)
    if not m: i+=1; continue
    key=m.group(2); val=m.group(3)
    while stack and stack[-1][0]>=ind: stack.pop()
    path='.'.join([k for _,k in stack]+[key])
    # block value (map or list) if val empty and next non-empty line more indented
    j=i+1
    while j<len(lines) and not lines[j].strip(): j+=1
    nxt=lines[j] if j<len(lines) else ''
    nind=len(nxt)-len(nxt.lstrip())
    if val=='' and nind>ind and not nxt.strip().startswith('- '):
        if comment:  # documented block (e.g. podSecurityContext) -> one row with yaml
            blk=[]; k=j
            while k<len(lines) and (not lines[k].strip() or len(lines[k])-len(lines[k].lstrip())>ind):
                if lines[k].strip() and not lines[k].strip().startswith('#'): blk.append(lines[k].strip())
                k+=1
            rows.append((path,'see values.yaml',' '.join(comment)))
            comment=[]; i=k; continue
        stack.append((ind,key)); comment=[]; i+=1; continue
    if val=='' and nxt.strip().startswith('- '):
        items=[]; k=j
        while k<len(lines) and lines[k].strip().startswith('- '): items.append(lines[k].strip()[2:]); k+=1
        val='['+', '.join(items)+']'; i=k
    else: i+=1
    rows.append((path,val.split(' #')[0].strip(),' '.join(comment))); comment=[]
FALLBACK={
 'image.registry':"Image registry; empty uses global.imageRegistry.",
 'image.repository':"Image repository.",
 'image.tag':"Image tag; empty uses the chart's appVersion.",
 'image.digest':"Image digest (sha256:...); pins the image when set.",
 'image.pullPolicy':"Image pull policy.",
 'jvmOptions':"Extra JVM options, appended to JAVA_TOOL_OPTIONS.",
 'jvmMaxRamPercentage':"Share of the container memory limit the JVM heap may take.",
 'extraEnv':"Extra environment variables (list of EnvVar).",
 'registry':"This component's registry login (url, user, existingSecret, passwordKey) overriding `registry`.",
 'serviceAccount.create':"Create the component's ServiceAccount.",
 'serviceAccount.name':"ServiceAccount name; empty = `<fullname>-<component>`.",
 'serviceAccount.annotations':"ServiceAccount annotations.",
 'resources.requests.cpu':"CPU request.",
 'resources.requests.memory':"Memory request.",
 'resources.limits.memory':"Memory limit (the JVM heap is 75% of it).",
 'tmpDirSizeLimit':"Size limit of the /tmp emptyDir (the JVM's temporary directory).",
 'nodeSelector':"Node selector of the pods.",
 'tolerations':"Tolerations of the pods.",
 'affinity':"Affinity of the pods.",
 'topologySpreadConstraints':"Topology spread of the pods; empty spreads more than one replica over nodes (ScheduleAnyway).",
 'priorityClassName':"PriorityClass of the pods.",
 'podLabels':"Extra pod labels.",
 'podAnnotations':"Extra pod annotations.",
 'service.annotations':"Service annotations (e.g. for your load balancer).",
 'service.loadBalancerIP':"Fixed load balancer address, if your provider supports it.",
 'service.loadBalancerSourceRanges':"Source ranges allowed through the load balancer.",
}
def fb(p):
    parts=p.split('.')
    for n in range(len(parts)-1,0,-1):
        k='.'.join(parts[-n:])
        if k in FALLBACK: return FALLBACK[k]
    return ''
rows=[(p,v,d or fb(p)) for p,v,d in rows]
print('| Key | Default | Description |'); print('|---|---|---|')
for p,v,d in rows:
    v=v.replace('|','\\|'); d=d.replace('|','\\|')
    print(f'| `{p}` | `{v}` | {d} |')
