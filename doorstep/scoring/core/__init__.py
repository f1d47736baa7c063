"""The pure scoring core: feature matrices in, models, scores, metrics and reasons out. No Django here.

`features` holds the matrix, `metrics` the evaluation measures, `calibration` the isotonic and Platt
calibrators, `boosting` the shared LightGBM settings, `training` the propensity pipeline with its
logistic baseline, `uplift` the visit-uplift learners and expected recovery, `explain` the reasons in
words and `serialise` the JSON model files. Time is passed in, seeds are explicit, nothing reads files.
"""
