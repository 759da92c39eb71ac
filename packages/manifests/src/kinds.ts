import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { IConfigMap, IContainer, INamespace, ISecret, IService } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

/** A kubernetes-models class: its apiVersion/kind guard, and a model whose validate() throws on a schema violation. */
interface KindModel<T> {
  is(value: unknown): value is T;
  new (data: T): { validate(): void };
}

export interface Kind {
  /** `apiVersion kind`, as in the error messages. */
  id: string;
  is(value: unknown): boolean;
  /** Throws the schema's first violations, with their paths. */
  validate(value: unknown): void;
}

function kind<T>(id: string, model: KindModel<T>): Kind {
  return {
    id,
    is: (v) => model.is(v),
    validate: (v) => {
      if (model.is(v)) new model(v).validate();
    },
  };
}

/** Every kind deploy/k8s may hold; anything else is reported as unknown, so nothing escapes validation. */
export const KINDS: Kind[] = [
  kind<INamespace>('v1 Namespace', Namespace),
  kind<IConfigMap>('v1 ConfigMap', ConfigMap),
  kind<ISecret>('v1 Secret', Secret),
  kind<IService>('v1 Service', Service),
  kind<IDeployment>('apps/v1 Deployment', Deployment),
  kind<IHorizontalPodAutoscaler>('autoscaling/v2 HorizontalPodAutoscaler', HorizontalPodAutoscaler),
  kind<IPodDisruptionBudget>('policy/v1 PodDisruptionBudget', PodDisruptionBudget),
  kind<IScaledObject>('keda.sh/v1alpha1 ScaledObject', ScaledObject),
  kind<IServiceMonitor>('monitoring.coreos.com/v1 ServiceMonitor', ServiceMonitor),
];

export { ConfigMap, Deployment, HorizontalPodAutoscaler, PodDisruptionBudget, ScaledObject, Secret, Service };
export { ServiceMonitor };
export type { IConfigMap, IDeployment, IHorizontalPodAutoscaler, IPodDisruptionBudget, IScaledObject, ISecret };
export type { IContainer, IService, IServiceMonitor };
