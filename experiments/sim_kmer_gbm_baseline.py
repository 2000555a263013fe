# Reference learner for a prism simulation: HistGradientBoosting on 5-mer counts of enhancer and
# promoter (2 x 1024 features), trained on train, scored (AUPR) on test. Usage: python3 THIS DIR
import numpy as np, csv, sys, time
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score
D=sys.argv[1]; K=5
idx={}
def vec(s):
    v=np.zeros(4**K,np.float32); m={'A':0,'C':1,'G':2,'T':3}
    code=[m[c] for c in s]
    x=0
    for i,c in enumerate(code):
        x=((x<<2)|c)&(4**K-1)
        if i>=K-1: v[x]+=1
    return v
def load(split):
    seq={}
    for f in ('e_seq.csv','p_seq.csv'):
        for r in csv.DictReader(open(f'{D}/{split}/ALL/{f}')): seq[r['region']]=r['sequence']
    X=[];y=[];c=[]
    for r in csv.DictReader(open(f'{D}/{split}/ALL/pairs_hg19.csv')):
        X.append(np.concatenate([vec(seq[r['enhancer_name']]),vec(seq[r['promoter_name']])])); y.append(int(r['label'])); c.append(r['cell_line'])
    return np.array(X),np.array(y),np.array(c)
t=time.time()
Xtr,ytr,_=load('train'); Xte,yte,cte=load('test')
m=HistGradientBoostingClassifier(max_iter=300,learning_rate=0.1,early_stopping=False).fit(Xtr,ytr)
p=m.predict_proba(Xte)[:,1]
print('train AUPR %.3f test AUPR %.3f'%(average_precision_score(ytr,m.predict_proba(Xtr)[:,1]),average_precision_score(yte,p)), {c:round(average_precision_score(yte[cte==c],p[cte==c]),3) for c in set(cte)}, 'time %.0fs'%(time.time()-t))
