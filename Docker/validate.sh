#!/usr/bin/env bash
# Validates the deployment files with schema checkers no one here wrote (run by `make test`):
#   compose.yaml       → check-jsonschema with the vendored Compose Specification schema
#   kubernetes/*.yaml  → kubernetes-validate (Kubernetes OpenAPI schemas), strict
#   KEDA objects       → the KEDA v1alpha1 models of cloudcoil-models-keda
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY' >/dev/null 2>&1 || { echo "validate.sh: need check-jsonschema kubernetes-validate cloudcoil-models-keda (pip)"; exit 2; }
import check_jsonschema, kubernetes_validate, cloudcoil.models.keda
PY
check-jsonschema --builtin-schema vendor.compose-spec compose.yaml
python3 - kubernetes/*.yaml <<'PY'
import sys, yaml, kubernetes_validate
from cloudcoil.models.keda import v1alpha1 as keda
failed = False
for path in sys.argv[1:]:
    for doc in yaml.safe_load_all(open(path)):
        if not doc:
            continue
        kind = doc.get("kind")
        if doc.get("apiVersion", "").startswith("keda.sh/"):
            model = {"ScaledObject": keda.ScaledObject, "TriggerAuthentication": keda.TriggerAuthentication}.get(kind)
            if model is None:
                print(f"{path}: unknown KEDA kind {kind}"); failed = True; continue
            obj = model.model_validate(doc)
            # Unknown keys are silently dropped by the models: compare the round trip to catch typos.
            back = obj.model_dump(by_alias=True, exclude_none=True)
            def missing(a, b, where=""):
                out = []
                if isinstance(a, dict):
                    for k, v in a.items():
                        if k not in b: out.append(where + "/" + k)
                        else: out += missing(v, b[k], where + "/" + k)
                elif isinstance(a, list):
                    for i, (x, y) in enumerate(zip(a, b)): out += missing(x, y, f"{where}[{i}]")
                return out
            lost = missing(doc, back)
            if lost:
                print(f"{path}: {kind} has unknown fields: {', '.join(lost)}"); failed = True
            else:
                print(f"{path}: {kind} valid (KEDA v1alpha1)")
            continue
        try:
            kubernetes_validate.validate(doc, "1.30.0", strict=True)
            print(f"{path}: {kind} valid (Kubernetes 1.30, strict)")
        except Exception as error:
            print(f"{path}: {kind} INVALID: {error}"); failed = True
sys.exit(1 if failed else 0)
PY
