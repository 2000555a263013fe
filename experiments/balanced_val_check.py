#!/usr/bin/python3
"""The check of experiments/balanced-selection.md: a run's validation and test scores, their AUPR
plain and weighted by inverse propensity of both elements' GC in each cell line (a logistic
regression on the enhancer's and promoter's GC fractions per cell line; scikit-learn), and the
correlation of the score with the enhancer's GC.

Usage: prism predict RUN --split val && prism predict RUN --split test &&
       /usr/bin/python3 experiments/balanced_val_check.py SIM_DIR RUN
"""
import csv
import sys

import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score
from sklearn.linear_model import LogisticRegression
sim, run = sys.argv[1], sys.argv[2]
for split in ('val','test'):
    seqs={}
    for f in ('e_seq.csv','p_seq.csv'):
        for row in csv.DictReader(open(f'{sim}/{split}/ALL/{f}')): seqs[row['region']]=row['sequence']
    rows=list(csv.DictReader(open(f'{run}/predictions/{split}.csv')))
    X=[];y=[];s=[];c=[]
    for r in rows:
        e=seqs[r['enhancer']]; p=seqs[r['promoter']]
        X.append([e.count('G')+e.count('C'), len(e), p.count('G')+p.count('C'), len(p)]); y.append(int(r['label'])); s.append(float(r['score'])); c.append(r['cell_line'])
    X=np.array(X,float); y=np.array(y); s=np.array(s); c=np.array(c)
    gce=X[:,0]/X[:,1]
    print(split,'AUPR %.3f'%average_precision_score(y,s),'corr(score,enhGC) %.3f'%np.corrcoef(s,gce)[0,1])
    # IPW within cell: propensity from GC fractions
    w=np.zeros(len(y))
    for cell in sorted(set(c)):
        m=c==cell
        F=np.column_stack([X[m,0]/X[m,1],X[m,2]/X[m,3]])
        pr=LogisticRegression(C=1e4).fit(F,y[m]).predict_proba(F)[:,1]
        pr=np.clip(pr,0.02,0.98)
        pi=y[m].mean()
        w[m]=np.where(y[m]==1,pi/pr,(1-pi)/(1-pr))
        print('  ',cell,'AUPR %.3f'%average_precision_score(y[m],s[m]),'IPW AUPR %.3f'%average_precision_score(y[m],s[m],sample_weight=w[m]), 'ESS %.0f'%(w[m].sum()**2/(w[m]**2).sum()))
    print('  IPW overall %.3f'%average_precision_score(y,s,sample_weight=w))
